-- The rows of this load that broke no contract rule, in file order. Where one load holds several
-- versions of a return (a file and its resubmission), each but the last is superseded by the next.
-- (Only a load of several files can: a key given twice in one file breaks the key's rule, so the
-- versions are looked for only then, and the usual one-file load joins an empty list.)
insert into home_care_returns (
    location_id, period, people_council, people_nhs, people_self_funded, hours_delivered,
    agency_hours, care_workers_employed, vacancies, leavers, packages_handed_back,
    packages_handed_back_pct, can_take_more_hours, extra_hours_available, missed_visits,
    late_visits, safeguarding_concerns, complaints, submitted_at, batch_id, row_number,
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
    location_id, period, people_council, people_nhs, people_self_funded, hours_delivered,
    agency_hours, care_workers_employed, vacancies, leavers, packages_handed_back,
    packages_handed_back_pct, can_take_more_hours, extra_hours_available, missed_visits,
    late_visits, safeguarding_concerns, complaints, submitted_at, batch_id, row_number,
    case when next_batch is not null then $loaded_at end,
    next_batch
from loaded
