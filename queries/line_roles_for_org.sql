-- grain: one row per role a line or text table plays in one of the organisation's
--        documents (seed config/roles): the frame, the efficiency requirement, the result
--        goal, tax revenue, a cost-risk text table, a fee to a joint body …
-- parameters: $org_id
-- units: none; target_key is the line a joint body's fee sits in (samverkan), else empty
select
    doc_id,
    role,
    table_id,
    line_key,
    target_key
from line_roles
where org_id = $org_id
order by doc_id, row_no
