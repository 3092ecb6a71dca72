-- Demo improvement-plan actions, from the frame registered as demo_concern_actions.
insert into concern_actions (plan_action_id, concern_id, title, owner, due_date, done_on, created_by,
                             created_at, done_by)
select plan_action_id, concern_id, title, owner, due_date, done_on, 'demo', created_at,
       case when done_on is not null then 'demo' end
from demo_concern_actions;
