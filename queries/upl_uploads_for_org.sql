-- grain: one row per upload of the organisation (the upload log), newest first
-- parameters: $org_id
-- scope: $org_id
-- units: rows = data rows stored; total_kr in kronor; current_rows = rows still current
with log as (
    select * from uploads where org_id = $org_id
),

still_current as (
    select
        upload_id,
        count(*) filter (where current)::bigint as current_rows
    from outcome
    where org_id = $org_id
    group by upload_id
),

final as (
    select
        log.upload_id,
        log.seq,
        log.kind,
        log.year,
        log.file_name,
        log.sha256,
        log.raw_file,
        log.size_bytes,
        log.file_format,
        log.encoding,
        log.decimal_mark,
        log.unit,
        log.rows,
        log.periods,
        log.period_from,
        log.period_to,
        log.total_kr,
        log.mapping_json,
        log.uploaded_by,
        log.uploaded_at,
        log.status,
        log.replaces,
        log.status_by,
        log.status_at,
        coalesce(still_current.current_rows, 0) as current_rows
    from log
    left join still_current using (upload_id)
)

select * from final
order by seq desc
