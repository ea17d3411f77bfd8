-- grain: one row per printed value of an indicator table (indikatorer) per year, with the
--        printed forecast direction for the next year
-- parameters: $org_id
-- scope: $org_id
-- units: value in the indicator's unit (index, placering, procent, antal), after errata;
--        value_printed as printed; findings counts non-matching reconciliation checks
with fig as (
    select * from figures where org_id = $org_id and table_id = 'indikatorer'
),

forecast as (
    select
        doc_id,
        line_key,
        string_agg(text, ' ' order by source_line) as forecast_text
    from texts
    where org_id = $org_id and table_id = 'indikatorer' and kind = 'prognosriktning'
    group by doc_id, line_key
),

findings as (
    select
        doc_id,
        source_line,
        count(*)::bigint as findings
    from reconciliation
    where org_id = $org_id and table_id = 'indikatorer' and klass <> 'stämmer'
    group by doc_id, source_line
),

final as (
    select
        fig.doc_id,
        fig.table_title,
        fig.row_no,
        fig.line_key,
        fig.line_label,
        fig.year,
        fig.unit,
        fig.value_printed,
        fig.value,
        fig.decimals,
        fig.has_erratum,
        coalesce(findings.findings, 0) as findings,
        coalesce(forecast.forecast_text, '') as forecast_text,
        fig.source_line
    from fig
    left join forecast using (doc_id, line_key)
    left join findings using (doc_id, source_line)
)

select * from final
order by doc_id, row_no, year
