-- params: concern_id, title, owner, due_date, created_by
insert into concern_actions (concern_id, title, owner, due_date, created_by)
values (cast($concern_id as uuid), $title, $owner, $due_date, $created_by)
returning cast(plan_action_id as varchar)
