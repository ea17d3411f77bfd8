-- grain: one row per forecast round (as_of) × verksamhet (line_key) of the year, current versions only
-- parameters: $org_id, $year
-- units: amount_kr = the full-year forecast in kronor (exact, 2 decimals)
with current_rows as (
    select *
    from outcome
    where org_id = $org_id
        and year = $year
        and kind = 'prognos'
        and current
),

final as (
    select
        as_of,
        line_key,
        min(verksamhet_code) as verksamhet_code,
        min(verksamhet_name) as verksamhet_name,
        sum(amount_kr)::decimal(18, 2) as amount_kr,
        count(*)::bigint as rows,
        min(upload_id) as upload_id
    from current_rows
    group by as_of, line_key
)

select * from final
order by as_of, line_key
