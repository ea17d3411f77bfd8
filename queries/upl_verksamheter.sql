-- grain: one row per verksamhet (or produktionsområde) and printed name in the organisation's
--        documents, and per verksamhet of its active imported structure (struktur)
-- parameters: $org_id
-- scope: $org_id
-- what an upload for the organisation may name: vhNN codes (Askersund), po:<slug> areas
-- (Lerum), and the organisation's own verksamheter ("KF1 Kultur" or a name)
with printed as (
    select distinct
        line_key,
        line_label
    from figures
    where org_id = $org_id
        and (line_key like 'vh%' or line_key like 'po:%')
),

structure as (
    select distinct
        s.line_key,
        case when s.code is null then s.name else s.code || ' ' || s.name end as line_label
    from import_structure as s
    where s.org_id = $org_id
        and s.level = 'verksamhet'
        and s.doc_id in (
            select doc_id from import_sources
            where org_id = $org_id and status = 'aktiv' and kind = 'struktur'
        )
),

final as (
    select * from printed
    union
    select * from structure
)

select * from final
order by line_key, line_label
