-- grain: one row per investment project × month of the year's current uploaded project outcome
-- parameters: $org_id, $year
-- units: amount_kr and accumulated_kr in kronor (exact, 2 decimals)
with current_rows as (
    select *
    from outcome
    where org_id = $org_id
        and year = $year
        and kind = 'investering'
        and current
),

by_month as (
    select
        coalesce(project_code, project_name) as project,
        min(project_code) as project_code,
        min(project_name) as project_name,
        month,
        sum(amount_kr)::decimal(18, 2) as amount_kr,
        count(*)::bigint as rows
    from current_rows
    group by coalesce(project_code, project_name), month
),

final as (
    select
        project,
        project_code,
        project_name,
        month,
        amount_kr,
        sum(amount_kr) over (
            partition by project order by month
            rows between unbounded preceding and current row
        )::decimal(18, 2) as accumulated_kr,
        rows
    from by_month
)

select * from final
order by project, month
