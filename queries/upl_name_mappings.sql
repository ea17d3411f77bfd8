-- grain: one row per verksamhet name (normalised, name_key) the organisation has mapped on the Uppladdning page
-- parameters: $org_id
-- scope: $org_id
-- units: none; the latest confirmed mapping of each name holds
with mapped as (
    select
        org_id,
        name_key,
        name,
        line_key,
        set_by,
        set_at,
        row_number() over (partition by name_key order by set_at desc) as newest
    from name_mappings
    where org_id = $org_id
),

final as (
    select org_id, name_key, name, line_key, set_by, set_at
    from mapped
    where newest = 1
)

select * from final
order by name_key
