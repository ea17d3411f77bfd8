-- grain: one row per printed text line of the listed tables (or prose passages) of one
--        document, read once per document for the scenario baseline
-- parameters: $org_id, $doc_id, $table_ids (a list of table ids)
-- scope: $org_id
-- units: none (texts as printed, in document order within each table)
select
    table_id,
    line_key,
    ref,
    kind,
    text,
    source_line
from texts
where org_id = $org_id
    and doc_id = $doc_id
    and list_contains($table_ids, table_id)
order by table_id, source_line, ref
