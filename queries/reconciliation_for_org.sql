-- grain: one row per reconciliation check of the organisation's printed figures
-- parameters: $org_id
-- scope: $org_id
-- units: reported/computed/difference in the unit of the reported figure (tkr, mkr, %)
select
    check_id,
    kind,
    doc_id,
    table_id,
    table_title,
    line_label,
    column_label,
    source_line,
    description,
    unit,
    reported,
    reported_printed,
    computed,
    difference,
    tolerance,
    klass,
    klass_order,
    other,
    terms
from reconciliation
where org_id = $org_id
order by klass_order, doc_id, source_line, check_id
