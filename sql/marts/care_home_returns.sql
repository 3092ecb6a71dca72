-- The current version of each care-home monthly return, with derived rates.
with current_returns as (
    select *
    from main.care_home_returns
    where superseded_at is null
),

versions as (
    -- versions and first_received_at: the macro of migration 116, one rule for both kinds of return
    select *
    from return_versions('care_home')
),

final as (
    select
        r.location_id,
        l.provider_id,
        l.location_name,
        r.period,
        r.beds,
        r.occupied_beds,
        r.vacant_beds_accepting,
        r.accepting_admissions,
        r.occupied_beds / nullif(r.beds, 0) as occupancy_rate,
        r.nurses_employed,
        r.care_workers_employed,
        r.agency_staff,
        r.hours_paid,
        r.agency_hours,
        r.agency_hours / nullif(r.hours_paid, 0) as agency_share,
        r.overtime_hours,
        r.absence_hours,
        r.staff_vacancies,
        r.leavers,
        r.safeguarding_concerns,
        r.complaints,
        r.notifiable_incidents,
        r.residents_council,
        r.residents_nhs,
        r.residents_self_funded,
        r.residents_other_councils,
        r.submitted_at,
        v.first_received_at,
        v.versions,
        r.batch_id,
        r.row_number
    from current_returns as r
    left join versions as v using (location_id, period)
    left join main.cqc_locations as l using (location_id)
)

select * from final
