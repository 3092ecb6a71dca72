-- Demo provider concerns, from the frame registered as demo_concerns.
insert into concerns (concern_id, location_id, provider_id, opened_on, lead_officer, agencies, opened_by,
                      closed_on, close_reason, closed_by, created_at)
select concern_id, location_id, provider_id, opened_on, lead_officer, agencies, 'demo',
       closed_on, close_reason, case when closed_on is not null then 'demo' end, created_at
from demo_concerns;
