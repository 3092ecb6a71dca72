-- Empty the demo's hidden truth before a (re)build writes it again.
delete from demo_truth.events;
delete from demo_truth.location_months;
