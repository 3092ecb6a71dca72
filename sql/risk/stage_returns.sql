-- Provider returns as they stood at $as_of, care homes and home care in common terms: for each
-- location and period before $as_of (in the 13 months before it) the version current at $as_of,
-- that is the latest submitted on or before $as_of (a version superseded later still counts), and
-- when the first version arrived (for lateness). A version's time is its submitted_at, else the start
-- of the batch that loaded it (version_sent_at, migration 118); of two at the same time, the later load is the later version (the
-- rule of sql/ingest/stage_versions.sql, as it stood at $as_of). Most returns have one version: only the few (location, period) pairs
-- that were ever resubmitted are grouped (`repeated`), and every other version of those is left out
-- by a join against that small set.
-- Months are counted back from the month of $as_of: months_ago 1 is the month before it.
-- Grain: one row per location and period.
-- params: as_of
-- reads: stage_locations
with batches as (
    select batch_id, started_at
    from main.ingest_batches
),

versions as not materialized (
    select
        'care_home' as kind,
        r.location_id,
        r.period,
        version_sent_at(r.submitted_at, b.started_at) as known_at,
        b.started_at as loaded_at,
        r.row_number,
        r.superseded_at is not null as superseded,
        r.beds,
        r.occupied_beds,
        r.vacant_beds_accepting,
        r.accepting_admissions,
        coalesce(r.nurses_employed, 0) + coalesce(r.care_workers_employed, 0) as staff_employed,
        r.hours_paid as hours,
        r.agency_hours,
        r.staff_vacancies,
        r.leavers,
        cast(null as double) as packages_handed_back_pct,
        cast(null as boolean) as can_take_more_hours,
        coalesce(r.safeguarding_concerns, 0) + coalesce(r.complaints, 0) as concerns,
        r.residents_council as people_council,
        coalesce(r.residents_council, 0) + coalesce(r.residents_nhs, 0)
            + coalesce(r.residents_self_funded, 0) + coalesce(r.residents_other_councils, 0) as people
    from main.care_home_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
      and version_sent_at(r.submitted_at, b.started_at) < cast($as_of as date) + interval 1 day

    union all

    select
        'home_care' as kind,
        r.location_id,
        r.period,
        version_sent_at(r.submitted_at, b.started_at) as known_at,
        b.started_at as loaded_at,
        r.row_number,
        r.superseded_at is not null as superseded,
        cast(null as integer) as beds,
        cast(null as integer) as occupied_beds,
        cast(null as integer) as vacant_beds_accepting,
        cast(null as boolean) as accepting_admissions,
        r.care_workers_employed as staff_employed,
        r.hours_delivered as hours,
        r.agency_hours,
        r.vacancies as staff_vacancies,
        r.leavers,
        r.packages_handed_back_pct,
        r.can_take_more_hours,
        coalesce(r.safeguarding_concerns, 0) + coalesce(r.complaints, 0) as concerns,
        r.people_council,
        coalesce(r.people_council, 0) + coalesce(r.people_nhs, 0)
            + coalesce(r.people_self_funded, 0) as people
    from main.home_care_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
      and version_sent_at(r.submitted_at, b.started_at) < cast($as_of as date) + interval 1 day
),

resubmitted as (
    -- returns with a later version somewhere in the warehouse (not necessarily known by $as_of)
    select distinct kind, location_id, period
    from versions
    where superseded
),

repeated as (
    -- of those, the ones with more than one version known by $as_of: the latest (ties: the later
    -- load, then the later row) and when the first arrived
    select
        v.kind,
        v.location_id,
        v.period,
        max(struct_pack(known_at := v.known_at, loaded_at := v.loaded_at, row_number := v.row_number)) as latest,
        min(v.known_at) as first_known_at
    from versions as v
    semi join resubmitted as s
        on s.kind = v.kind and s.location_id = v.location_id and s.period = v.period
    group by v.kind, v.location_id, v.period
    having count(*) > 1
),

current as (
    select
        v.* exclude (superseded, loaded_at, row_number),
        coalesce(p.first_known_at, v.known_at) as first_known_at,
        date_diff('month', v.period, cast(date_trunc('month', $as_of) as date)) as months_ago
    from versions as v
    left join repeated as p
        on p.kind = v.kind and p.location_id = v.location_id and p.period = v.period
    where p.latest is null
       or p.latest = struct_pack(known_at := v.known_at, loaded_at := v.loaded_at, row_number := v.row_number)
),

joined as (
    select
        r.*,
        coalesce(r.beds, l.beds) as size_beds,
        r.months_ago between 1 and 3 as last_3
    from current as r
    join stage_locations as l using (location_id)
)

select * from joined
