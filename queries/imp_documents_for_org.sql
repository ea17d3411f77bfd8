-- grain: one row per imported document file of the organisation, every version
-- parameters: $org_id
-- scope: $org_id
-- units: rows = figures, goals or structure rows the file gave
select
    doc_id,
    seq,
    kind,
    year,
    title,
    doc_type,
    file,
    sha256,
    unit,
    sign,
    rows,
    imported_by,
    imported_at,
    status,
    replaces,
    status_by,
    status_at
from import_sources
where org_id = $org_id
order by seq desc
