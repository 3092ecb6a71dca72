-- For every location and as-of date replayed: whether an event of the chosen types happened in the
-- $horizon_months months after the as-of date, and the first such event.
-- Grain: one row per location and as-of date.
-- params: event_types, horizon_months
with events as (
    select location_id, event_date, event_type
    from bt_events
    where list_contains($event_types, event_type)
),

matched as (
    select
        s.as_of,
        s.location_id,
        min(e.event_date) as first_event_date,
        arg_min(e.event_type, e.event_date) as first_event_type
    from bt_scores as s
    join events as e
        on e.location_id = s.location_id
       and e.event_date > s.as_of
       and e.event_date <= cast(s.as_of + to_months(cast($horizon_months as integer)) as date)
    group by s.as_of, s.location_id
),

final as (
    select
        s.as_of,
        s.location_id,
        s.likelihood,
        s.impact,
        s.computed_rag,
        m.first_event_date is not null as label,
        m.first_event_date,
        m.first_event_type
    from bt_scores as s
    left join matched as m using (as_of, location_id)
)

select * from final
