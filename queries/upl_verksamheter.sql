-- grain: one row per verksamhet (or produktionsområde) and printed name in the organisation's documents
-- parameters: $org_id
-- what an upload for the organisation may name: vhNN codes (Askersund) and po:<slug> areas (Lerum)
select distinct
    line_key,
    line_label
from figures
where org_id = $org_id
    and (line_key like 'vh%' or line_key like 'po:%')
order by line_key, line_label
