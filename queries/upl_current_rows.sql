-- grain: one row per stored row that holds now (current) for the organisation and upload kind
-- parameters: $org_id, $kind
-- scope: $org_id
-- units: amount_kr in kronor (exact, 2 decimals); the rows an upload's preview compares with
with current_rows as (
    select
        upload_id,
        period,
        line_key,
        verksamhet_code,
        verksamhet_name,
        ansvar_code,
        account,
        project_code,
        project_name,
        amount_kr
    from outcome
    where org_id = $org_id
        and kind = $kind
        and current
),

final as (
    select * from current_rows
)

select * from final
order by period, line_key, account, project_code, upload_id
