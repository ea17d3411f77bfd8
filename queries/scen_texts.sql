-- grain: one row per printed text line of one table (or prose passage) of one document
-- parameters: $org_id, $doc_id, $table_id
-- units: none (texts as printed, in document order)
select
    line_key,
    ref,
    kind,
    text,
    source_line
from texts
where org_id = $org_id
    and doc_id = $doc_id
    and table_id = $table_id
order by source_line, ref
