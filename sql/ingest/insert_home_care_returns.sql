-- The rows of this load that broke no contract rule, in file order; a version that arrives superseded
-- (an older version re-sent, or one followed by a later version in the same load: stage_versions.sql)
-- is marked so.
-- params: loaded_at
insert into home_care_returns (
    location_id, period, people_council, people_nhs, people_self_funded, hours_delivered,
    agency_hours, care_workers_employed, vacancies, leavers, packages_handed_back,
    packages_handed_back_pct, can_take_more_hours, extra_hours_available, missed_visits,
    late_visits, safeguarding_concerns, complaints, submitted_at, batch_id, row_number,
    superseded_at, superseded_by_batch
)
select
    location_id, period, people_council, people_nhs, people_self_funded, hours_delivered,
    agency_hours, care_workers_employed, vacancies, leavers, packages_handed_back,
    packages_handed_back_pct, can_take_more_hours, extra_hours_available, missed_visits,
    late_visits, safeguarding_concerns, complaints, submitted_at, batch_id, row_number,
    case when v.current_batch is not null then $loaded_at end,
    v.current_batch
from stage_loaded as l
left join stage_versions as v using (location_id, period, batch_id)
