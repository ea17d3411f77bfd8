-- grain: one row per organisation that has at least one source document
-- parameters: none
select
    org_id,
    org_name
from organisations
order by org_name
