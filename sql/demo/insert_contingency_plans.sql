-- Demo reviews of contingency plans, from the frame registered as demo_contingency_plans.
insert into contingency_plans (plan_id, provider_id, plan_held, owner, reviewed_on, next_review_on, note,
                               recorded_by, created_at)
select plan_id, provider_id, plan_held, owner, reviewed_on, next_review_on, note, 'demo', created_at
from demo_contingency_plans;
