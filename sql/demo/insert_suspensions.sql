-- Demo placement suspensions, from the frame registered as demo_suspensions.
insert into placement_suspensions
    (suspension_id, location_id, imposed_on, reason, imposed_by, lifted_on, lift_reason, lifted_by,
     created_at, scope, categories, review_on)
select suspension_id, location_id, imposed_on, reason, 'demo', lifted_on, lift_reason, lifted_by,
       created_at, scope, categories, review_on
from demo_suspensions;
