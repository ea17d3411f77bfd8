-- grain: one row per printed figure (line × column) of the operating-budget tables named
-- parameters: $org_id, $table_ids (list of table ids, e.g. ['drift_verksamhet'])
-- units: value in the figure's unit (tkr for Askersund, mkr for Lerum), after errata
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
    as_of,
    unit,
    value_printed,
    value,
    has_erratum,
    source_line
from figures
where org_id = $org_id
    and list_contains($table_ids, table_id)
order by doc_id, table_id, row_no, source_line, column_label
