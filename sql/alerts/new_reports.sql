-- CQC reports dated in the week [$week_start, $week_end]: one row per location and report, with the
-- overall rating, the overall rating of the report before it, and the key questions rated poorly.
-- params: week_start, week_end, poor_ratings
with reports as (
    select distinct location_id, report_date
    from mart.ratings
    where report_date between $week_start and $week_end
),

this_report as (
    select
        r.location_id,
        r.report_date,
        max(case when g.key_question = 'overall' then g.rating end) as overall,
        max(g.report_link) as report_link,
        list(g.key_question || ': ' || g.rating order by g.key_question)
            filter (where g.key_question <> 'overall'
                    and list_contains($poor_ratings, g.rating)) as poor_key_questions,
        max(g.date_basis) as date_basis
    from reports as r
    join mart.ratings as g using (location_id, report_date)
    group by r.location_id, r.report_date
),

previous as (
    select
        t.location_id,
        t.report_date,
        g.rating as previous_overall,
        g.report_date as previous_report_date
    from this_report as t
    join mart.ratings as g
        on g.location_id = t.location_id
       and g.key_question = 'overall'
       and g.report_date < t.report_date
    qualify row_number() over (partition by t.location_id, t.report_date order by g.report_date desc) = 1
),

final as (
    select
        t.location_id,
        t.report_date,
        t.overall,
        p.previous_overall,
        p.previous_report_date,
        coalesce(t.poor_key_questions, []) as poor_key_questions,
        t.report_link,
        t.date_basis
    from this_report as t
    left join previous as p using (location_id, report_date)
)

select * from final
order by report_date, location_id
