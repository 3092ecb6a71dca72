-- The rows of this load that broke no contract rule. Where one load holds several versions of a
-- return (a file and its resubmission), each but the last is superseded by the next.
insert into care_home_returns (
    location_id, period, beds, occupied_beds, vacant_beds_accepting, accepting_admissions,
    nurses_employed, care_workers_employed, agency_staff, hours_paid, agency_hours, overtime_hours,
    absence_hours, staff_vacancies, leavers, safeguarding_concerns, complaints, notifiable_incidents,
    residents_council, residents_nhs, residents_self_funded, submitted_at, batch_id, row_number,
    superseded_at, superseded_by_batch
)
select
    location_id, period, beds, occupied_beds, vacant_beds_accepting, accepting_admissions,
    nurses_employed, care_workers_employed, agency_staff, hours_paid, agency_hours, overtime_hours,
    absence_hours, staff_vacancies, leavers, safeguarding_concerns, complaints, notifiable_incidents,
    residents_council, residents_nhs, residents_self_funded, submitted_at, batch_id, row_number,
    case when lead(batch_id) over versions is not null then $loaded_at end,
    lead(batch_id) over versions
from stage_loaded
window versions as (partition by location_id, period order by file_no)
