-- The current version of each home-care monthly return, with derived rates.
with current_returns as (
    select *
    from main.home_care_returns
    where superseded_at is null
),

versions as (
    -- versions and first_received_at: the macro of migration 116, one rule for both kinds of return
    select *
    from return_versions('home_care')
),

final as (
    select
        r.location_id,
        l.provider_id,
        l.location_name,
        r.period,
        r.people_council,
        r.people_nhs,
        r.people_self_funded,
        coalesce(r.people_council, 0) + coalesce(r.people_nhs, 0)
            + coalesce(r.people_self_funded, 0) as people_supported,
        r.hours_delivered,
        r.agency_hours,
        r.agency_hours / nullif(r.hours_delivered, 0) as agency_share,
        r.care_workers_employed,
        r.vacancies,
        r.leavers,
        r.packages_handed_back,
        r.packages_handed_back_pct,
        r.can_take_more_hours,
        r.extra_hours_available,
        r.missed_visits,
        r.late_visits,
        r.safeguarding_concerns,
        r.complaints,
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
