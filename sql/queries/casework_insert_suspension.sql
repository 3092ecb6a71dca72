insert into placement_suspensions (location_id, imposed_on, reason, imposed_by)
values ($location_id, $imposed_on, $reason, $imposed_by)
returning cast(suspension_id as varchar)
