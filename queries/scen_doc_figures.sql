-- grain: one row per printed figure (line × column) of the listed tables of the listed
--        documents, with its data-quality flag, read once for the scenario baseline
-- parameters: $org_id, $doc_ids (a list of document ids), $table_ids (a list of table ids)
-- scope: $org_id
-- units: value in the figure's unit (tkr, mkr or procent), after documented errata;
--        value_printed exactly as printed; finding names the classes of reconciliation
--        findings other than "stämmer" reported on this very figure (null when none)
with figs as (
    select *
    from figures
    where org_id = $org_id
        and list_contains($doc_ids, doc_id)
        and list_contains($table_ids, table_id)
),

findings as (
    select
        doc_id,
        table_id,
        source_line,
        column_label,
        string_agg(distinct klass, ', ' order by klass) as finding
    from reconciliation
    where org_id = $org_id
        and list_contains($doc_ids, doc_id)
        and list_contains($table_ids, table_id)
        and klass <> 'stämmer'
    group by doc_id, table_id, source_line, column_label
),

final as (
    select
        figs.doc_id,
        figs.table_id,
        figs.row_no,
        figs.line_label,
        figs.line_key,
        figs.row_kind,
        figs.column_label,
        figs.measure,
        figs.version,
        figs.year,
        figs.unit,
        figs.value_printed,
        figs.value,
        figs.has_erratum,
        figs.source_line,
        findings.finding
    from figs
    left join findings
        on findings.doc_id = figs.doc_id
        and findings.table_id = figs.table_id
        and findings.source_line = figs.source_line
        and findings.column_label = figs.column_label
)

select * from final
order by doc_id, table_id, row_no, year, column_label
