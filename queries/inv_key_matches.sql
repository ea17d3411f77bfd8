-- grain: one row per investment project that two of the organisation's documents key
--        differently (config/key_matches in the seed): the report's key and the budget
--        document's key, with the reason they are the same project
-- parameters: $org_id
-- scope: $org_id
-- units: none
select
    doc_id,
    line_key,
    match_doc_id,
    match_line_key,
    reason
from key_matches
where org_id = $org_id
order by doc_id, line_key
