-- params: provider_id, plan_held, owner, reviewed_on, next_review_on, note, recorded_by
insert into contingency_plans (provider_id, plan_held, owner, reviewed_on, next_review_on, note, recorded_by)
values ($provider_id, $plan_held, $owner, $reviewed_on, $next_review_on, $note, $recorded_by)
returning cast(plan_id as varchar)
