-- Demo CQC Market Oversight notices, from the frame registered as demo_oversight_notices.
insert into oversight_notices (notice_id, provider_id, notice_on, kind, note, recorded_by, created_at)
select notice_id, provider_id, notice_on, kind, note, 'demo', created_at
from demo_oversight_notices;
