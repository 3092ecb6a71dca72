-- The rows of this load that broke no contract rule. Where one load holds several versions of a
-- return (a file and its resubmission), each but the last is superseded by the next.
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
    case when lead(batch_id) over versions is not null then $loaded_at end,
    lead(batch_id) over versions
from stage_loaded
window versions as (partition by location_id, period order by file_no)
