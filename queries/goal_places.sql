-- grain: one row per goal of the organisation that comes from an imported file: where
--   the goal stands in the file (goals of a transcribed document cite its text version
--   by ``source_line`` and have no row here)
-- parameters: $org_id
-- scope: $org_id
-- units: none (file name, sheet, row number and column heading as in the file)
with goal as (
    select * from import_goals
    where org_id = $org_id
        and source_file is not null
        and doc_id in (select doc_id from import_sources where status = 'aktiv')
),

final as (
    select
        doc_id || ':' || coalesce(malomrade_no, '') || ':' || goal_no as goal_key,
        any_value(source_file) as source_file,
        any_value(source_sheet) as source_sheet,
        min(source_row) as source_row,
        any_value(source_column) as source_column
    from goal
    group by all
)

select * from final
order by goal_key
