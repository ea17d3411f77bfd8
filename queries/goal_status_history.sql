-- grain: one row per status someone set for a goal and follow-up date (the full history;
--        the latest row per goal_key and followup_date is the current one)
-- parameters: $org_id
-- scope: $org_id
-- units: none; set_at is a UTC timestamp
select
    status_id,
    doc_id,
    goal_key,
    followup_date,
    status,
    comment,
    set_by,
    set_at
from goal_status
where org_id = $org_id
order by goal_key, followup_date, set_at
