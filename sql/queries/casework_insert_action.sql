-- params: location_id, title, owner, due_date, created_by
insert into actions (location_id, title, owner, due_date, created_by)
values ($location_id, $title, $owner, $due_date, $created_by)
returning cast(action_id as varchar)
