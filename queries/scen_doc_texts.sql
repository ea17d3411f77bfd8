-- grain: one row per printed text line of the listed tables (or prose passages) of the
--        listed documents, read once for the scenario baseline
-- parameters: $org_id, $doc_ids (a list of document ids), $table_ids (a list of table ids)
-- scope: $org_id
-- units: none (texts as printed, in document order within each table)
select
    doc_id,
    table_id,
    line_key,
    ref,
    kind,
    text,
    source_line
from texts
where org_id = $org_id
    and list_contains($doc_ids, doc_id)
    and list_contains($table_ids, table_id)
order by doc_id, table_id, source_line, ref
