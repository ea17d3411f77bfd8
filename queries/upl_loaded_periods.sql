-- grain: one row per kind × period loaded for the organisation, with the upload that is current
-- parameters: $org_id
-- scope: $org_id
-- units: rows = rows of the current version; amount_kr = their sum in kronor; versions = uploads
--        that ever held the period (active or undone)
with rows_by_upload as (
    select
        kind,
        period,
        year,
        upload_id,
        bool_or(current) as is_current,
        count(*)::bigint as rows,
        sum(amount_kr)::decimal(18, 2) as amount_kr
    from outcome
    where org_id = $org_id
    group by kind, period, year, upload_id
),

versions as (
    select
        kind,
        period,
        count(*)::bigint as versions
    from rows_by_upload
    group by kind, period
),

final as (
    select
        r.kind,
        r.year,
        r.period,
        u.seq,
        r.upload_id,
        u.file_name,
        u.uploaded_by,
        u.uploaded_at,
        r.rows,
        r.amount_kr,
        v.versions
    from rows_by_upload as r
    inner join (select * from uploads where org_id = $org_id) as u using (upload_id)
    inner join versions as v on v.kind = r.kind and v.period = r.period
    where r.is_current
)

select * from final
order by kind, period
