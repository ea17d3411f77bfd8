-- grain: one row per goal of the organisation's documents (nämndmål, kommunstyrelsens mål
--        in an interim report, or a prioriterad inriktning)
-- parameters: $org_id
-- scope: $org_id
-- units: none; followup_dates is a '|'-separated list of ISO dates, indicators a count.
--        goal_key is the stable key user-set statuses refer to: doc_id:målområde:goal_no
with goal as (
    select * from goals where org_id = $org_id
),

doc as (
    select
        doc_id,
        coalesce(nullif(short_title, ''), title) as doc_title,
        doc_type,
        doc_date
    from sources
    where org_id = $org_id
),

indicator_count as (
    select
        doc_id,
        goal_no,
        regexp_extract(malomrade_printed, 'Målområde (\d+)', 1) as malomrade_no,
        count(*)::bigint as indicators
    from goal_indicators
    where org_id = $org_id
    group by all
),

final as (
    select
        goal.doc_id || ':' || coalesce(goal.malomrade_no, '') || ':' || goal.goal_no as goal_key,
        goal.org_id,
        goal.doc_id,
        doc.doc_title,
        doc.doc_type,
        doc.doc_date,
        cast(goal.year as integer) as year,
        coalesce(goal.malomrade_no, '') as malomrade_no,
        goal.malomrade_title,
        goal.goal_no,
        goal.goal_title,
        goal.goal_text,
        goal.malprecisering,
        goal.followup_printed,
        coalesce(goal.followup_dates, '') as followup_dates,
        coalesce(indicator_count.indicators, 0) as indicators,
        goal.source_line
    from goal
    left join doc using (doc_id)
    left join indicator_count
        on indicator_count.doc_id = goal.doc_id
        and indicator_count.goal_no = goal.goal_no
        and indicator_count.malomrade_no = goal.malomrade_no
)

select * from final
order by doc_date desc, doc_id, source_line
