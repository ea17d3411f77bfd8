-- grain: one row per reconciliation finding that is not exact, on the named tables
-- parameters: $org_id, $table_ids (list of table ids)
-- units: reported/computed/difference in the unit of the reported figure
select
    doc_id,
    table_id,
    line_label,
    column_label,
    kind,
    klass,
    description,
    reported,
    computed,
    difference,
    other
from reconciliation
where org_id = $org_id
    and klass <> 'stämmer'
    and list_contains($table_ids, table_id)
order by klass_order, doc_id, source_line
