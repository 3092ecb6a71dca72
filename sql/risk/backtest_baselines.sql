-- Single-feature baselines for every location and as-of date replayed (bt_scores): what a person
-- could rank by without the engine. Ratings known at the as-of date only ('Not rated' ignored).
-- months_since_rated_report: months from the latest rated overall report (or, never rated, from
-- registration) to the as-of date; rating_rank: the latest overall rating (1 Inadequate .. 4
-- Outstanding); worst_key_question_rank: the lowest key-question rating at that latest report.
-- Grain: one row per location and as-of date.
-- params: ratings_worst_first
with ranks as (
    select rating, list_position($ratings_worst_first, rating) as rank  -- vocab.RATING_RANK
    from (select unnest($ratings_worst_first) as rating)
),

rated as (
    select r.location_id, r.report_date, r.key_question, k.rank
    from main.cqc_ratings as r
    join ranks as k using (rating)
),

latest_overall as (
    select
        s.as_of,
        s.location_id,
        max(r.report_date) as report_date,
        arg_max(r.rank, r.report_date) as rating_rank
    from bt_scores as s
    join rated as r
        on r.location_id = s.location_id
       and r.key_question = 'overall'
       and r.report_date <= s.as_of
    group by s.as_of, s.location_id
),

worst_key_question as (
    select o.as_of, o.location_id, min(r.rank) as worst_key_question_rank
    from latest_overall as o
    join rated as r
        on r.location_id = o.location_id
       and r.report_date = o.report_date
       and r.key_question <> 'overall'
    group by o.as_of, o.location_id
),

final as (
    select
        s.as_of,
        s.location_id,
        date_diff('month', coalesce(o.report_date, l.registration_date), s.as_of) as months_since_rated_report,
        o.rating_rank,
        w.worst_key_question_rank
    from bt_scores as s
    join main.cqc_locations as l using (location_id)
    left join latest_overall as o using (as_of, location_id)
    left join worst_key_question as w using (as_of, location_id)
)

select * from final
