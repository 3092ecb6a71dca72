-- The latest date the warehouse has data for: the newest return submission, CQC report or register
-- snapshot, never after today. `score` uses it as the default as-of date, so that a warehouse last
-- loaded a month ago is not scored as if every return since were missing.
with dates as (
    select max(cast(submitted_at as date)) as d from main.care_home_returns
    union all
    select max(cast(submitted_at as date)) from main.home_care_returns
    union all
    select max(report_date) from main.cqc_ratings
    union all
    select max(snapshot_date) from main.cqc_locations
),

final as (
    select least(max(d), current_date) as latest_data_date
    from dates
)

select * from final
