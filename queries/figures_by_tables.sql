-- grain: one row per printed figure (line × column) of the tables named
-- parameters: $org_id, $table_ids (list of table ids, e.g. ['drift_verksamhet', 'finans_post'])
-- units: value in the figure's unit (tkr, kr, procent), after documented errata;
--        value_printed is the text exactly as printed, year_printed the year as printed
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
    source_line
from figures
where org_id = $org_id
    and list_contains($table_ids, table_id)
order by doc_id, table_id, row_no, year, source_line, column_label
