-- grain: one row per reconciliation finding that is not exact, on the tables named,
--        with the year of the figure the finding is about
-- parameters: $org_id, $table_ids (list of table ids)
-- scope: $org_id
-- units: reported/computed/difference in the unit of the reported figure (tkr, procent)
with findings as (
    select *
    from reconciliation
    where org_id = $org_id
        and klass <> 'stämmer'
        and list_contains($table_ids, table_id)
),

-- a finding names its figure by document, table, column and source line; the figure
-- gives the year (after errata). Prose can print several years on one line and column,
-- so the earliest is taken rather than repeating the finding.
figure_years as (
    select
        doc_id,
        table_id,
        column_label,
        source_line,
        min(year) as year
    from figures
    where org_id = $org_id
    group by doc_id, table_id, column_label, source_line
),

final as (
    select
        findings.check_id,
        findings.kind,
        findings.klass,
        findings.klass_order,
        findings.doc_id,
        findings.table_id,
        findings.table_title,
        findings.line_label,
        findings.column_label,
        findings.source_line,
        figure_years.year,
        findings.unit,
        findings.reported,
        findings.computed,
        findings.difference,
        findings.description,
        findings.other
    from findings
    left join figure_years
        on figure_years.doc_id = findings.doc_id
        and figure_years.table_id = findings.table_id
        and figure_years.column_label = findings.column_label
        and figure_years.source_line = findings.source_line
)

select * from final
order by year, klass_order, doc_id, source_line, check_id
