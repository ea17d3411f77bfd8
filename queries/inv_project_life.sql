-- grain: one row per project in an interim report's project-life table (inv_projekt_livs)
-- parameters: $org_id
-- scope: $org_id
-- units: tkr after documented errata, except analys_avvikelse_mkr (mkr, as printed in the
--        written analysis). The year columns (utfall … avvikelse) are this table's own
--        figures for the year; projekt_utfall is the cost over the project's life to as_of,
--        projekt_prognos / projekt_budget the whole-life forecast and budget, and
--        projekt_avvikelse the printed accumulated deviation (negative = overrun)
with life as (
    select * from figures
    where org_id = $org_id
        and table_id = 'inv_projekt_livs'
),

projects as (
    select
        doc_id,
        line_key,
        any_value(line_label) as line_label,
        min(row_no) as row_no,
        min(source_line) as source_line,
        max(year) as year,
        max(as_of) as as_of,
        any_value(value) filter (where version = 'utfall') as utfall,
        any_value(value) filter (where version = 'prognos') as prognos,
        any_value(value) filter (where version in ('budget_justerad', 'budget_kf')) as budget,
        any_value(value) filter (where version = 'avvikelse') as avvikelse,
        any_value(value) filter (where version = 'projekt_utfall') as projekt_utfall,
        any_value(value) filter (where version = 'projekt_prognos') as projekt_prognos,
        any_value(value) filter (where version = 'projekt_budget') as projekt_budget,
        any_value(value) filter (where version = 'projekt_avvikelse') as projekt_avvikelse,
        bool_or(has_erratum) as has_erratum
    from life
    group by doc_id, line_key
),

analysis_figures as (
    select
        doc_id,
        line_key,
        any_value(line_label) as analys_label,
        any_value(value) filter (
            where version = 'projekt_avvikelse' and unit = 'mkr'
        ) as analys_avvikelse_mkr
    from figures
    where org_id = $org_id
        and table_id = 'inv_analys'
    group by doc_id, line_key
),

causes as (
    select
        doc_id,
        line_key,
        string_agg(ref, ', ' order by source_line) as cause_ref,
        string_agg(text, ' ' order by source_line) as cause
    from texts
    where org_id = $org_id
        and table_id = 'inv_analys'
        and kind = 'analys'
    group by doc_id, line_key
),

final as (
    select
        projects.*,
        analysis_figures.analys_label,
        analysis_figures.analys_avvikelse_mkr,
        causes.cause_ref,
        causes.cause
    from projects
    left join analysis_figures using (doc_id, line_key)
    left join causes using (doc_id, line_key)
)

select * from final
order by doc_id, row_no
