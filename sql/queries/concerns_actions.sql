-- The improvement-plan actions of these concerns: not done first, soonest due first.
-- params: concern_ids
select cast(plan_action_id as varchar) as plan_action_id, cast(concern_id as varchar) as concern_id,
       title, owner, due_date, done_on, done_by, created_by
from concern_actions
where list_contains($concern_ids, cast(concern_id as varchar))
order by done_on is not null, due_date, created_at
