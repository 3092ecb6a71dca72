-- The demo's hidden truth: the events the demo generator planted (demo_truth.events), by the
-- names of market_oversight.vocab.EVENT_TYPES. The generator plants a fall to Inadequate as a
-- downgrade whose detail is the new rating; like the observed events, it is also an 'inadequate'
-- event (the demo plants nothing else for a new Inadequate rating).
with planted as (
    select location_id, cast(event_date as date) as event_date, event_type, detail
    from demo_truth.events
),

final as (
    select location_id, event_date, event_type from planted
    union all
    select location_id, event_date, 'inadequate' from planted
    where event_type = 'downgrade' and detail = 'Inadequate'
)

select * from final
