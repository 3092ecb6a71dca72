-- The demo's true events, from the frame registered as truth_events.
insert into demo_truth.events (location_id, event_date, event_type, detail)
select location_id, event_date, event_type, detail
from truth_events;
