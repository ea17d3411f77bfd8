-- grain: one row per cost risk a document of the organisation names (seed config/risks),
--        in the order written
-- parameters: $org_id
-- scope: $org_id
-- units: none; years is a '|'-separated list of the years a lever defaults to (empty:
--        every scenario year); suggestion_* address a printed figure that sizes the risk
select
    doc_id,
    risk_key,
    text_ref,
    label,
    years,
    line_key,
    note,
    suggestion_doc_id,
    suggestion_table_id,
    suggestion_line_key,
    suggestion_column_label,
    suggestion_note
from cost_risks
where org_id = $org_id
order by doc_id, row_no
