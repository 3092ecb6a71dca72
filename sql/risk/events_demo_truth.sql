-- The demo's hidden truth: the events the demo generator planted (demo_truth.events).
with final as (
    select location_id, cast(event_date as date) as event_date, event_type
    from demo_truth.events
)

select * from final
