-- params: lifted_on, lift_reason, lifted_by, suspension_id
update placement_suspensions
set lifted_on = $lifted_on, lift_reason = $lift_reason, lifted_by = $lifted_by
where cast(suspension_id as varchar) = $suspension_id
  and lifted_on is null
returning location_id
