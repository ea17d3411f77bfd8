-- grain: one row per source document of the organisation, newest first
-- parameters: $org_id
-- scope: $org_id
-- used for data freshness: the latest document and its date
select
    doc_id,
    title,
    doc_type,
    doc_date
from sources
where org_id = $org_id
order by doc_date desc, doc_id
