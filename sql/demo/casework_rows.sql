-- The casework rows an earlier or this demo build wrote (by 'demo'): table, key and location (or
-- provider), for the audit log that seals each one (audit.record).
select 'placement_suspensions' as casework_table, cast(suspension_id as varchar) as row_id, location_id
from placement_suspensions
where imposed_by = 'demo'
union all
select 'quality_assessments', cast(assessment_id as varchar), location_id
from quality_assessments
where assessor = 'demo'
union all
select 'concerns', cast(concern_id as varchar), coalesce(location_id, provider_id)
from concerns
where opened_by = 'demo'
union all
select 'concern_stages', cast(s.stage_id as varchar), coalesce(c.location_id, c.provider_id)
from concern_stages as s
join concerns as c using (concern_id)
where s.recorded_by = 'demo'
union all
select 'concern_meetings', cast(m.meeting_id as varchar), coalesce(c.location_id, c.provider_id)
from concern_meetings as m
join concerns as c using (concern_id)
where m.recorded_by = 'demo'
union all
select 'concern_actions', cast(a.plan_action_id as varchar), coalesce(c.location_id, c.provider_id)
from concern_actions as a
join concerns as c using (concern_id)
where a.created_by = 'demo'
union all
select 'concern_enquiries', cast(e.enquiry_id as varchar), coalesce(c.location_id, c.provider_id)
from concern_enquiries as e
join concerns as c using (concern_id)
where e.recorded_by = 'demo'
union all
select 'contingency_plans', cast(plan_id as varchar), provider_id
from contingency_plans
where recorded_by = 'demo'
union all
select 'oversight_notices', cast(notice_id as varchar), provider_id
from oversight_notices
where recorded_by = 'demo'
order by all
