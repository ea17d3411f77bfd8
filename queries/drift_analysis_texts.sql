-- grain: one row per printed line of analysis text for a verksamhet (several per analysis)
-- parameters: $org_id
-- scope: $org_id
-- the interim report's "Verksamhetsanalys": the written explanation of each deviation
select
    doc_id,
    line_key,
    ref,
    text,
    source_line
from texts
where org_id = $org_id
    and table_id = 'verksamhetsanalys'
    and kind = 'analys'
order by doc_id, source_line
