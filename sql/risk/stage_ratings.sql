-- CQC ratings as known at $as_of: reports dated on or before $as_of only.
-- Grain: one row per location with any rating by then.
with reports as (
    select location_id, report_date, key_question, rating
    from main.cqc_ratings
    where report_date <= $as_of
),

overall as (
    select
        location_id,
        report_date,
        rating,
        lag(rating) over (partition by location_id order by report_date) as previous_rating,
        lag(report_date) over (partition by location_id order by report_date) as previous_date
    from reports
    where key_question = 'overall' and rating <> 'Not rated'
    qualify row_number() over (partition by location_id order by report_date desc) = 1
),

key_questions as (
    select
        location_id,
        key_question,
        rating,
        report_date
    from reports
    where key_question in ('safe', 'well_led') and rating <> 'Not rated'
    qualify row_number() over (partition by location_id, key_question order by report_date desc) = 1
),

final as (
    select
        coalesce(o.location_id, s.location_id, w.location_id) as location_id,
        o.rating as overall,
        o.report_date as overall_date,
        o.previous_rating as previous_overall,
        o.previous_date as previous_overall_date,
        s.rating as safe,
        s.report_date as safe_date,
        w.rating as well_led,
        w.report_date as well_led_date
    from overall as o
    full join (select * from key_questions where key_question = 'safe') as s using (location_id)
    full join (select * from key_questions where key_question = 'well_led') as w using (location_id)
)

select * from final
