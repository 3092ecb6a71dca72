-- Provider returns as they stood at $as_of, care homes and home care in common terms.
-- For each location and period before $as_of (in the 13 months before it): the version current at
-- $as_of, that is the latest submitted on or before $as_of (a version superseded later still
-- counts), and when the first version arrived (for lateness). A version's time is its submitted_at,
-- else the start of the batch that loaded it.
-- One grouped pass (arg_max over the version's values) rather than window functions: the same rows,
-- several times faster on a national warehouse (bench/risk_score.py).
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
        coalesce(r.submitted_at, b.started_at) as known_at,
        r.row_number,
        struct_pack(
            beds := r.beds,
            occupied_beds := r.occupied_beds,
            vacant_beds_accepting := r.vacant_beds_accepting,
            accepting_admissions := r.accepting_admissions,
            staff_employed := coalesce(r.nurses_employed, 0) + coalesce(r.care_workers_employed, 0),
            hours := r.hours_paid,
            agency_hours := r.agency_hours,
            staff_vacancies := r.staff_vacancies,
            leavers := r.leavers,
            packages_handed_back_pct := cast(null as double),
            can_take_more_hours := cast(null as boolean),
            concerns := coalesce(r.safeguarding_concerns, 0) + coalesce(r.complaints, 0),
            people_council := r.residents_council,
            people := coalesce(r.residents_council, 0) + coalesce(r.residents_nhs, 0)
                + coalesce(r.residents_self_funded, 0)
        ) as answers
    from main.care_home_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
      and coalesce(r.submitted_at, b.started_at) < cast($as_of as date) + interval 1 day
),

home_care as (
    select
        'home_care' as kind,
        r.location_id,
        r.period,
        coalesce(r.submitted_at, b.started_at) as known_at,
        r.row_number,
        struct_pack(
            beds := cast(null as integer),
            occupied_beds := cast(null as integer),
            vacant_beds_accepting := cast(null as integer),
            accepting_admissions := cast(null as boolean),
            staff_employed := r.care_workers_employed,
            hours := r.hours_delivered,
            agency_hours := r.agency_hours,
            staff_vacancies := r.vacancies,
            leavers := r.leavers,
            packages_handed_back_pct := r.packages_handed_back_pct,
            can_take_more_hours := r.can_take_more_hours,
            concerns := coalesce(r.safeguarding_concerns, 0) + coalesce(r.complaints, 0),
            people_council := r.people_council,
            people := coalesce(r.people_council, 0) + coalesce(r.people_nhs, 0)
                + coalesce(r.people_self_funded, 0)
        ) as answers
    from main.home_care_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
      and coalesce(r.submitted_at, b.started_at) < cast($as_of as date) + interval 1 day
),

versions as (
    select * from care_home
    union all
    select * from home_care
),

known as (
    select
        kind,
        location_id,
        period,
        -- the latest version known by then (ties: the later row of the file)
        arg_max(answers, (known_at, row_number)) as answers,
        max(known_at) as known_at,
        min(known_at) as first_known_at
    from versions
    group by kind, location_id, period
),

final as (
    select
        kind,
        location_id,
        period,
        unnest(answers),
        known_at,
        first_known_at,
        date_diff('month', period, cast(date_trunc('month', $as_of) as date)) as months_ago
    from known
)

select * from final
