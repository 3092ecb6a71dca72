-- The rows of this load that broke no contract rule, in file order. Where one load holds several
-- versions of a return (a file and its resubmission), each but the last is superseded by the next.
-- (Only a load of several files can: a key given twice in one file breaks the key's rule, so the
-- versions are looked for only then, and the usual one-file load joins an empty list.)
insert into care_home_returns (
    location_id, period, beds, occupied_beds, vacant_beds_accepting, accepting_admissions,
    nurses_employed, care_workers_employed, agency_staff, hours_paid, agency_hours, overtime_hours,
    absence_hours, staff_vacancies, leavers, safeguarding_concerns, complaints, notifiable_incidents,
    residents_council, residents_nhs, residents_self_funded, submitted_at, batch_id, row_number,
    superseded_at, superseded_by_batch
)
with versions as (
    select file_no, location_id, period,
        lead(batch_id) over (partition by location_id, period order by file_no) as next_batch
    from stage_loaded
    where (select count(*) from staged_batches) > 1
    qualify count(*) over (partition by location_id, period) > 1
),

loaded as (
    select l.*, v.next_batch
    from stage_loaded as l
    left join versions as v using (file_no, location_id, period)
)

select
    location_id, period, beds, occupied_beds, vacant_beds_accepting, accepting_admissions,
    nurses_employed, care_workers_employed, agency_staff, hours_paid, agency_hours, overtime_hours,
    absence_hours, staff_vacancies, leavers, safeguarding_concerns, complaints, notifiable_incidents,
    residents_council, residents_nhs, residents_self_funded, submitted_at, batch_id, row_number,
    case when next_batch is not null then $loaded_at end,
    next_batch
from loaded
