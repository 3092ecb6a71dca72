-- The rows of this load that broke no contract rule, in file order; a version superseded within the
-- same load by the next (stage_versions.sql) is marked so.
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
    case when next_batch is not null then $loaded_at end,
    next_batch
from stage_loaded as l
left join stage_versions as v using (file_no, location_id, period)
