-- grain: one row per printed figure (line × column) of the tables named
-- parameters: $org_id, $table_ids (list of table ids, e.g. ['drift_verksamhet', 'finans_post'])
-- scope: $org_id
-- units: value in the figure's unit (tkr, kr, procent), after documented errata;
--        value_printed is the text exactly as printed, year_printed the year as printed;
--        line_role is what the line is for the pages (config/roles: skatteintakter …), from
--        the document's own roles, else from the same line in the organisation's other
--        documents, else null
with figs as (
    select *
    from figures
    where org_id = $org_id
        and list_contains($table_ids, table_id)
),

own_roles as (
    select
        doc_id,
        table_id,
        line_key,
        role
    from line_roles
    where org_id = $org_id
        and line_key <> ''
),

-- A line key is stable across the organisation's documents: a document without roles of
-- its own (an import) takes the role its line has in another document of the organisation.
org_roles as (
    select
        table_id,
        line_key,
        min(role) as role
    from own_roles
    group by table_id, line_key
    having count(distinct role) = 1
),

final as (
    select
        figs.*,
        coalesce(own_roles.role, org_roles.role) as line_role
    from figs
    left join own_roles using (doc_id, table_id, line_key)
    left join org_roles using (table_id, line_key)
)

select
    doc_id,
    table_id,
    table_title,
    row_no,
    line_label,
    line_key,
    row_kind,
    column_label,
    measure,
    version,
    year,
    year_printed,
    as_of,
    unit,
    value_printed,
    value,
    decimals,
    has_erratum,
    source_line,
    line_role
from final
order by doc_id, table_id, row_no, year, source_line, column_label
