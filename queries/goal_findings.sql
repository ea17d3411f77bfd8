-- grain: one row per reconciliation finding about the organisation's goals or goal
--        indicators that does not simply match (e.g. a gap in the goal numbering)
-- parameters: $org_id
-- scope: $org_id
-- units: reported/computed/difference in the finding's unit (here mostly "nummer")
select
    check_id,
    kind,
    doc_id,
    table_id,
    table_title,
    line_label,
    source_line,
    description,
    reported_printed,
    klass
from reconciliation
where org_id = $org_id
    and table_id in ('goals', 'goal_indicators', 'indikatorer')
    and klass <> 'stämmer'
order by doc_id, source_line, check_id
