-- Demo concern stages, from the frame registered as demo_concern_stages.
insert into concern_stages (stage_id, concern_id, stage, entered_on, reason, recorded_by, created_at)
select stage_id, concern_id, stage, entered_on, reason, 'demo', created_at
from demo_concern_stages;
