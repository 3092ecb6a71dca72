-- The rows of this load that broke no contract rule, in file order; a version that arrives superseded
-- (an older version re-sent, or one followed by a later version in the same load: stage_versions.sql)
-- is marked so.
-- params: loaded_at
insert into care_home_returns (
    location_id, period, beds, occupied_beds, vacant_beds_accepting, accepting_admissions,
    nurses_employed, care_workers_employed, agency_staff, hours_paid, agency_hours, overtime_hours,
    absence_hours, staff_vacancies, leavers, safeguarding_concerns, complaints, notifiable_incidents,
    residents_council, residents_nhs, residents_self_funded, residents_other_councils, submitted_at,
    batch_id, row_number,
    superseded_at, superseded_by_batch
)
select
    location_id, period, beds, occupied_beds, vacant_beds_accepting, accepting_admissions,
    nurses_employed, care_workers_employed, agency_staff, hours_paid, agency_hours, overtime_hours,
    absence_hours, staff_vacancies, leavers, safeguarding_concerns, complaints, notifiable_incidents,
    residents_council, residents_nhs, residents_self_funded, residents_other_councils, submitted_at,
    batch_id, row_number,
    case when v.current_batch is not null then $loaded_at end,
    v.current_batch
from stage_loaded as l
left join stage_versions as v using (location_id, period, batch_id)
