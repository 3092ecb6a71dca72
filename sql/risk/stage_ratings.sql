-- CQC ratings as known at $as_of: reports dated on or before $as_of only.
-- For each location: the latest overall rating and the one before it, and the latest Safe and
-- Well-led ratings ('Not rated' ignored), in one grouped pass.
-- Grain: one row per location with any rating by then.
-- params: as_of
-- reads: 
with reports as (
    select location_id, report_date, key_question, rating
    from main.cqc_ratings
    where report_date <= $as_of
      and key_question in ('overall', 'safe', 'well_led')
      and rating <> 'Not rated'
),

latest as (
    select
        location_id,
        -- the two latest overall ratings, latest first
        arg_max(struct_pack(rating, report_date), report_date, 2)
            filter (where key_question = 'overall') as overall_two,
        arg_max(struct_pack(rating, report_date), report_date)
            filter (where key_question = 'safe') as safe,
        arg_max(struct_pack(rating, report_date), report_date)
            filter (where key_question = 'well_led') as well_led
    from reports
    group by location_id
),

final as (
    select
        location_id,
        overall_two[1].rating as overall,
        overall_two[1].report_date as overall_date,
        overall_two[2].rating as previous_overall,
        overall_two[2].report_date as previous_overall_date,
        safe.rating as safe,
        safe.report_date as safe_date,
        well_led.rating as well_led,
        well_led.report_date as well_led_date
    from latest
)

select * from final
