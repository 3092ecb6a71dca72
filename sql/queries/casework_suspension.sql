-- One suspension, by id.
-- params: id
select imposed_on, lifted_on, location_id
from placement_suspensions
where cast(suspension_id as varchar) = $id
