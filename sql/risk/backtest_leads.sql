-- For every event of the chosen types that some replayed as-of date saw coming (an as-of date in the
-- $horizon_months months before it): the earliest such date at which the location was red or amber.
-- Grain: one row per event.
-- params: event_types, horizon_months
with events as (
    select distinct location_id, event_date, event_type
    from bt_events
    where list_contains($event_types, event_type)
),

windows as (
    select
        e.location_id,
        e.event_date,
        e.event_type,
        min(s.as_of) filter (where s.computed_rag in ('red', 'amber')) as first_warning,
        count(*) as replayed_dates
    from events as e
    join bt_scores as s
        on s.location_id = e.location_id
       and s.as_of < e.event_date
       and s.as_of >= cast(e.event_date - to_months(cast($horizon_months as integer)) as date)
    group by e.location_id, e.event_date, e.event_type
),

final as (
    select
        *,
        round(date_diff('day', first_warning, event_date) / 30.4375, 2) as lead_months
    from windows
)

select * from final
