-- Provider returns as they stood at $as_of, care homes and home care in common terms.
-- For each location and period before $as_of (in the 13 months before it): the version current at
-- $as_of, that is the latest submitted on or before $as_of (a version superseded later still
-- counts), and when the first version arrived (for lateness). A version's time is its submitted_at,
-- else the start of the batch that loaded it.
-- Grain: one row per location and period.
with batches as (
    select batch_id, started_at
    from main.ingest_batches
),

care_home as (
    select
        'care_home' as kind,
        r.location_id,
        r.period,
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
            + coalesce(r.residents_self_funded, 0) as people,
        coalesce(r.submitted_at, b.started_at) as known_at,
        r.row_number
    from main.care_home_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
),

home_care as (
    select
        'home_care' as kind,
        r.location_id,
        r.period,
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
            + coalesce(r.people_self_funded, 0) as people,
        coalesce(r.submitted_at, b.started_at) as known_at,
        r.row_number
    from main.home_care_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
),

versions as (
    select * from care_home
    union all
    select * from home_care
),

known as (
    select
        *,
        min(known_at) over (partition by kind, location_id, period) as first_known_at
    from versions
    where known_at < cast($as_of as date) + interval 1 day
    qualify row_number() over (
        partition by kind, location_id, period order by known_at desc, row_number desc) = 1
),

final as (
    select
        * exclude (row_number),
        date_diff('month', period, cast(date_trunc('month', $as_of) as date)) as months_ago
    from known
)

select * from final
