-- grain: one row per reconciliation check of the organisation whose figure comes from an
--   imported file: where that figure stands in the file (a transcribed document's
--   checks cite its text version by ``source_line`` and have no row here)
-- parameters: $org_id
-- scope: $org_id
-- units: none (file name, sheet, row number and column heading as in the file)
with checks as (
    select check_id, doc_id, table_id, source_line, column_label
    from reconciliation
    where org_id = $org_id
),

placed as (
    select doc_id, table_id, source_line, column_label, source_file, source_sheet,
        source_row, source_column
    from import_figures
    where org_id = $org_id
        and source_file is not null
        and doc_id in (select doc_id from import_sources where status = 'aktiv')
),

final as (
    select
        checks.check_id,
        checks.doc_id,
        any_value(placed.source_file) as source_file,
        any_value(placed.source_sheet) as source_sheet,
        any_value(placed.source_row) as source_row,
        any_value(placed.source_column) as source_column
    from checks
    inner join placed
        on placed.doc_id = checks.doc_id
        and placed.table_id = checks.table_id
        and placed.source_line = checks.source_line
        and placed.column_label = checks.column_label
    group by checks.check_id, checks.doc_id
)

select * from final
order by doc_id, check_id
