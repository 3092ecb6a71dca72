-- The casework rows an earlier or this demo build wrote (by 'demo'): table, key and location, for
-- the audit log that seals each one (audit.record).
select 'placement_suspensions' as casework_table, cast(suspension_id as varchar) as row_id, location_id
from placement_suspensions
where imposed_by = 'demo'
union all
select 'quality_assessments', cast(assessment_id as varchar), location_id
from quality_assessments
where assessor = 'demo'
order by all
