-- grain: one row per earlier upload of exactly these bytes (normally none or one)
-- parameters: $sha256 (hex sha256 of the raw file)
select
    upload_id,
    seq,
    org_id,
    kind,
    file_name,
    sha256,
    uploaded_by,
    uploaded_at,
    status
from uploads
where sha256 = $sha256
order by seq
