-- The hidden state of every demo location and month, from the frame registered as truth_months.
insert into demo_truth.location_months
    (location_id, period, health, staffing_crisis, manager_absent, fee_pressure, owner_distress,
     suspended, true_rating)
select location_id, period, health, staffing_crisis, manager_absent, fee_pressure, owner_distress,
       suspended, true_rating
from truth_months;
