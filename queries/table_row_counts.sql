-- grain: one row per transcribed table (or prose passage) of the organisation's documents
-- parameters: $org_id
-- scope: $org_id
-- units: counts of printed lines and figures; first and last line in the source text
with figs as (
    select * from figures where org_id = $org_id
),

final as (
    select
        doc_id,
        table_id,
        any_value(table_title) as table_title,
        count(distinct row_no)::bigint as printed_lines,
        count(*)::bigint as figures,
        count(*) filter (where row_kind = 'total')::bigint as totals,
        min(source_line) as first_line,
        max(source_line) as last_line
    from figs
    group by doc_id, table_id
)

select * from final
order by doc_id, first_line
