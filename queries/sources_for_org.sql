-- grain: one row per source document of the organisation
-- parameters: $org_id
-- scope: $org_id
-- units: counts of printed figures and tables transcribed from the document
with docs as (
    select * from sources where org_id = $org_id
),

counts as (
    select
        doc_id,
        count(*)::bigint as figures,
        count(distinct table_id)::bigint as tables
    from figures
    where org_id = $org_id
    group by doc_id
),

final as (
    select
        docs.doc_id,
        docs.title,
        docs.short_title,
        docs.body,
        docs.doc_type,
        docs.doc_date,
        docs.file,
        docs.original_file,
        docs.sha256,
        coalesce(counts.figures, 0) as figures,
        coalesce(counts.tables, 0) as tables
    from docs
    left join counts using (doc_id)
)

select * from final
order by doc_date, doc_id
