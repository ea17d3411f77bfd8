-- grain: one row per reconciliation check of an investment figure that does not simply
--        agree (klass motsägelse, erratum or avrundning), with the line key, version and
--        year of the figure it reports on
-- parameters: $org_id
-- scope: $org_id
-- units: reported/computed/difference in the unit of the check (tkr for investments;
--        an mkr figure is compared in tkr)
with checks as (
    select * from reconciliation
    where org_id = $org_id
        and klass <> 'stämmer'
        and (table_id like 'inv\_%' escape '\' or table_id in ('text_inv', 'text_reinv'))
),

cells as (
    select
        doc_id,
        table_id,
        source_line,
        line_label,
        column_label,
        any_value(line_key) as line_key,
        any_value(version) as version,
        any_value(year) as year
    from figures
    where org_id = $org_id
    group by doc_id, table_id, source_line, line_label, column_label
),

lines as (
    select
        doc_id,
        table_id,
        source_line,
        line_label,
        any_value(line_key) as line_key
    from figures
    where org_id = $org_id
    group by doc_id, table_id, source_line, line_label
),

final as (
    select
        checks.check_id,
        checks.kind,
        checks.klass,
        checks.klass_order,
        checks.doc_id,
        checks.table_id,
        checks.table_title,
        checks.line_label,
        checks.column_label,
        checks.source_line,
        coalesce(cells.line_key, lines.line_key) as line_key,
        cells.version,
        cells.year,
        checks.description,
        checks.unit,
        checks.reported,
        checks.reported_printed,
        checks.computed,
        checks.difference,
        checks.tolerance,
        checks.other,
        checks.terms
    from checks
    left join cells
        on cells.doc_id = checks.doc_id
        and cells.table_id = checks.table_id
        and cells.source_line = checks.source_line
        and cells.line_label = checks.line_label
        and cells.column_label = checks.column_label
    left join lines
        on lines.doc_id = checks.doc_id
        and lines.table_id = checks.table_id
        and lines.source_line = checks.source_line
        and lines.line_label = checks.line_label
)

select * from final
order by klass_order, doc_id, source_line, check_id
