-- grain: one row per documented erratum (a print fault corrected explicitly)
-- parameters: $org_id
-- scope: $org_id
-- the join fetches the printed table title and line label of the corrected figure
with err as (
    select * from errata where org_id = $org_id
),

labels as (
    select distinct
        doc_id,
        table_id,
        source_line,
        row_no,
        line_key,
        column_label,
        table_title,
        line_label
    from figures
    where org_id = $org_id
),

final as (
    select
        err.doc_id,
        err.table_id,
        coalesce(labels.table_title, err.table_id) as table_title,
        coalesce(labels.line_label, err.line_key) as line_label,
        err.source_line,
        err.line_key,
        err.column_label,
        err.field,
        err.printed,
        err.corrected,
        err.kind,
        err.reason
    from err
    left join labels
        on labels.doc_id = err.doc_id
        and labels.table_id = err.table_id
        and labels.source_line = err.source_line
        and labels.row_no = cast(err.row_no as integer)
        and labels.line_key = err.line_key
        and labels.column_label = err.column_label
)

select * from final
order by doc_id, source_line
