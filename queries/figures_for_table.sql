-- grain: one row per printed figure (line × column) of one table of one document
-- parameters: $org_id, $doc_id, $table_id
-- units: value in the figure's unit (tkr, mkr, kr, procent …), after documented errata;
--        value_printed is the text exactly as printed
select
    row_no,
    line_label,
    line_key,
    row_kind,
    column_label,
    measure,
    version,
    year,
    as_of,
    unit,
    value_printed,
    value,
    has_erratum,
    source_line,
    category
from figures
where org_id = $org_id
    and doc_id = $doc_id
    and table_id = $table_id
order by row_no, source_line
