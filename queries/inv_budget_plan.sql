-- grain: one row per printed figure of a budget document's investment budget, per
--        category (inv_kategori) and per project (inv_projekt), incl. the printed sums
-- parameters: $org_id
-- scope: $org_id
-- units: tkr, after documented errata; an empty cell of the printed table has no row
select
    doc_id,
    table_id,
    row_no,
    line_key,
    line_label,
    row_kind,
    rollup_group,
    total_of,
    category,
    column_label,
    version,
    year,
    value,
    value_printed,
    has_erratum,
    source_line
from figures
where org_id = $org_id
    and table_id in ('inv_kategori', 'inv_projekt')
order by doc_id, table_id, row_no, year
