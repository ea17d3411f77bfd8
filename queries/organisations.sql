-- grain: one row per organisation: the seed documents' organisations and those an admin added
-- parameters: none
select
    org_id,
    org_name
from organisations
order by org_name
