-- grain: one row per organisation, with its kind, SCB municipality code and parent
-- parameters: none
-- units: none; kind is kommun, namnd or forbund (empty for the seed's organisations)
select
    org_id,
    org_name,
    kind,
    kommunkod,
    parent_org_id,
    created_by,
    created_at
from organisations
order by org_name, org_id
