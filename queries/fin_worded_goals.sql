-- grain: one row per financial goal a document of the organisation states only in words
--        (seed config/worded_goals), quoted exactly as printed on source_line
-- parameters: $org_id
-- scope: $org_id
-- units: none
select
    doc_id,
    cast(source_line as integer) as source_line,
    goal_key,
    name,
    quote
from worded_goals
where org_id = $org_id
order by doc_id, source_line
