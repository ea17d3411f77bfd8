-- grain: one row per printed line of an interim report's investment year table (inv_ar):
--        each project, each sub-item of a project printed with its items (total_of on
--        the project, rollup_group on its items), and the printed Summa
-- parameters: $org_id
-- scope: $org_id
-- units: tkr, after documented errata. utfall is the outcome to as_of; prognos, budget
--        (the adjusted budget, budget_justerad) and avvikelse (prognos − budget, as
--        printed) are for the whole year
with year_table as (
    select * from figures
    where org_id = $org_id
        and table_id = 'inv_ar'
),

final as (
    select
        doc_id,
        row_no,
        line_key,
        any_value(line_label) as line_label,
        any_value(row_kind) as row_kind,
        any_value(rollup_group) as rollup_group,
        any_value(total_of) as total_of,
        any_value(table_title) as table_title,
        min(source_line) as source_line,
        max(year) as year,
        max(as_of) as as_of,
        any_value(value) filter (where version = 'utfall') as utfall,
        any_value(value) filter (where version = 'prognos') as prognos,
        any_value(value) filter (where version in ('budget_justerad', 'budget_kf')) as budget,
        any_value(value) filter (where version = 'avvikelse') as avvikelse,
        bool_or(has_erratum) as has_erratum
    from year_table
    group by doc_id, row_no, line_key
)

select * from final
order by doc_id, row_no
