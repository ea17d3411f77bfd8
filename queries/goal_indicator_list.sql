-- grain: one row per indicator (mått) of a measurable goal, as printed in the report
-- parameters: $org_id
-- scope: $org_id
-- units: target_value, outcome_printed and previous_printed are printed text with a
--        decimal comma, in the indicator's unit (procent, index …); "-" means not measured
with ind as (
    select
        *,
        regexp_extract(malomrade_printed, 'Målområde (\d+)', 1) as malomrade_no
    from goal_indicators
    where org_id = $org_id
),

final as (
    select
        ind.doc_id || ':' || ind.malomrade_no || ':' || ind.goal_no as goal_key,
        ind.doc_id,
        ind.goal_no,
        ind.malomrade_no,
        ind.indicator_no,
        ind.indicator_label,
        ind.target_printed,
        ind.target_operator,
        ind.target_value,
        ind.unit,
        ind.better,
        ind.outcome_printed,
        ind.outcome_year,
        ind.previous_printed,
        ind.previous_year,
        ind.trend_printed,
        ind.comment,
        ind.source_line
    from ind
)

select * from final
order by doc_id, source_line
