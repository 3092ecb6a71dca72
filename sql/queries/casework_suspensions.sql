-- Placement suspensions, current first, then newest.
-- params: location_id, current_only
select cast(suspension_id as varchar) as suspension_id, location_id, imposed_on, reason, imposed_by,
       lifted_on, lift_reason, lifted_by, lifted_on is null as is_current,
       coalesce(scope, 'full') as scope, coalesce(categories, []) as categories, review_on
from placement_suspensions
where ($location_id is null or location_id = $location_id)
  and ($current_only = false or lifted_on is null)
order by lifted_on is not null, imposed_on desc
