-- Mark an improvement-plan action done; returns its concern (nothing if unknown or already done).
-- params: done_on, done_by, plan_action_id
update concern_actions
set done_on = $done_on, done_by = $done_by
where cast(plan_action_id as varchar) = $plan_action_id
  and done_on is null
returning cast(concern_id as varchar)
