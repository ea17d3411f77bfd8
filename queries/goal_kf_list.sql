-- grain: one row per strategic goal of the council (kommunfullmäktige) in a document
-- parameters: $org_id
-- scope: $org_id
-- units: none (texts)
select
    doc_id,
    cast(year as integer) as year,
    malomrade_no,
    malomrade_title,
    kf_goal_no,
    text,
    source_line
from kf_goals
where org_id = $org_id
order by doc_id, source_line
