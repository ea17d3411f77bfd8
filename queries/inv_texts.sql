-- grain: one row per printed text line about investments: the written analyses per
--        project (inv_analys) and the running commentary (text_inv, text_reinv)
-- parameters: $org_id
-- scope: $org_id
-- units: none (text); line_key names the project (proj:*) or total the whole portfolio
select
    doc_id,
    table_id,
    source_line,
    line_key,
    ref,
    kind,
    text
from texts
where org_id = $org_id
    and table_id in ('inv_analys', 'text_inv', 'text_reinv')
    and kind in ('analys', 'kommentar')
order by doc_id, source_line
