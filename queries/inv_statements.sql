-- grain: one row per printed figure of an interim report's investment summary: the net
--        expenditure line (inv_netto) and the figures in the running text (text_inv,
--        text_reinv), e.g. the carry-over to next year (ombudgetering)
-- parameters: $org_id
-- scope: $org_id
-- units: as printed per row (tkr or mkr, see unit), after documented errata
select
    doc_id,
    table_id,
    row_no,
    line_key,
    line_label,
    column_label,
    version,
    year,
    as_of,
    unit,
    value,
    value_printed,
    has_erratum,
    source_line
from figures
where org_id = $org_id
    and table_id in ('inv_netto', 'text_inv', 'text_reinv')
order by doc_id, table_id, row_no
