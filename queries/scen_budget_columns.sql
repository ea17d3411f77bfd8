-- grain: one row per document × table × line × version × year × measure of the
--        organisation's budget tables (the tables named): every printed total and every
--        cost line, with the document's title, type and date. Used to find the budget
--        documents, their budget and plan years and where their gross costs are printed.
-- parameters: $org_id, $table_ids (list of table ids, e.g. ['drift_verksamhet', 'drift_summa'])
-- scope: $org_id
-- units: none (which figures exist, not their values)
with figs as (
    select
        doc_id,
        table_id,
        line_key,
        row_kind,
        version,
        measure,
        year
    from figures
    where org_id = $org_id
        and list_contains($table_ids, table_id)
        and (row_kind = 'total' or measure = 'kostnad')
),

docs as (
    select
        doc_id,
        coalesce(nullif(short_title, ''), title) as doc_name,
        doc_type,
        doc_date
    from sources
    where org_id = $org_id
),

final as (
    select distinct
        figs.doc_id,
        docs.doc_name,
        docs.doc_type,
        docs.doc_date,
        figs.table_id,
        figs.line_key,
        figs.row_kind,
        figs.version,
        figs.measure,
        figs.year
    from figs
    inner join docs using (doc_id)
)

select * from final
order by doc_date desc, doc_id, table_id, line_key, year, version, measure
