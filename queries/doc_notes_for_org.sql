-- grain: one row per note a page must show about one of the organisation's documents
--        (seed config/notes), in the order written
-- parameters: $org_id, $topic (the page the notes are for, e.g. 'scenarier')
-- scope: $org_id
-- units: none (Swedish text as written)
select
    doc_id,
    text
from doc_notes
where org_id = $org_id
    and topic = $topic
order by doc_id, cast(note_no as integer), row_no
