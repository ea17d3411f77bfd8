-- grain: one row per verksamhet (line_key) × month of the year's current uploaded outcome (utfall)
-- parameters: $org_id, $year
-- scope: $org_id
-- units: amount_kr and accumulated_kr in kronor (exact, 2 decimals); rows = uploaded rows summed
-- line_key joins to figures.line_key (vh10, po:ekonomi) or is an SCB code (scb:407);
-- only the current version of each month counts (the latest active upload of that month)
with current_rows as (
    select *
    from outcome
    where org_id = $org_id
        and year = $year
        and kind = 'utfall'
        and current
        and month is not null  -- a whole-year (helår) upload has no month
),

by_month as (
    select
        line_key,
        month,
        min(verksamhet_code) as verksamhet_code,
        min(verksamhet_name) as verksamhet_name,
        sum(amount_kr)::decimal(18, 2) as amount_kr,
        count(*)::bigint as rows,
        min(upload_id) as upload_id
    from current_rows
    group by line_key, month
),

final as (
    select
        line_key,
        verksamhet_code,
        verksamhet_name,
        month,
        amount_kr,
        sum(amount_kr) over (
            partition by line_key order by month
            rows between unbounded preceding and current row
        )::decimal(18, 2) as accumulated_kr,
        rows,
        upload_id
    from by_month
)

select * from final
order by line_key, month
