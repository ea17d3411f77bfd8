-- grain: one row per verksamhet, nämnd, ansvar or kostnadsslag of the organisation's
--        active structure (the latest struktur import that is not undone or replaced)
-- parameters: $org_id
-- scope: $org_id
-- units: none; line_key is what figures join on (vh<code> or po:<slug>), maps_to the
--        verksamhet a nämnd/ansvar/kostnadsslag belongs to
select
    s.level,
    s.code,
    s.name,
    s.line_key,
    s.maps_to,
    s.scb_code
from import_structure as s
where s.org_id = $org_id
    and s.doc_id in (
        select doc_id from import_sources
        where org_id = $org_id and status = 'aktiv' and kind = 'struktur'
    )
order by s.source_row
