-- grain: one row per saved scenario of the organisation
-- parameters: $org_id
-- scope: $org_id
-- units: params_json is the validated lever JSON written by budgetrummet.scenarios
select
    scenario_id,
    name,
    params_json,
    saved_by,
    saved_at
from scenarios
where org_id = $org_id
order by lower(name), saved_at
