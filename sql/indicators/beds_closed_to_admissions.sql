-- Sustainability: in the latest care-home return of the last 3 months, vacant beds not open to
-- admissions are at least $beds_closed_to_admissions_threshold of all beds, or the home says it is
-- not accepting admissions while it has vacant beds.
-- params: beds_closed_to_admissions_domain, beds_closed_to_admissions_points, beds_closed_to_admissions_threshold
-- reads: stage_return_summary
with latest as (
    select
        location_id,
        occupancy_3m.period,
        occupancy_3m.beds,
        occupancy_3m.occupied_beds,
        occupancy_3m.vacant_beds_accepting,
        occupancy_3m.accepting_admissions,
        greatest(occupancy_3m.beds - occupancy_3m.occupied_beds
                 - case when occupancy_3m.accepting_admissions = false then 0
                        else coalesce(occupancy_3m.vacant_beds_accepting, 0) end, 0) as closed_vacant
    from stage_return_summary
    where occupancy_3m is not null
),

final as (
    select
        location_id,
        'beds_closed_to_admissions' as flag,
        $beds_closed_to_admissions_domain as domain,
        $beds_closed_to_admissions_points as points,
        round(closed_vacant / beds, 6) as value,
        cast($beds_closed_to_admissions_threshold as double) as threshold,
        json_object('period', period, 'beds', beds, 'occupied_beds', occupied_beds,
                    'vacant_beds_accepting', vacant_beds_accepting,
                    'accepting_admissions', accepting_admissions,
                    'vacant_beds_closed', closed_vacant, 'source', 'care_home_returns') as evidence,
        format('{} vacant beds of {} not open to admissions in {}', closed_vacant, beds,
               strftime(period, '%B %Y')) as message
    from latest
    where beds > 0 and closed_vacant > 0
      and round(closed_vacant / beds, 6) >= $beds_closed_to_admissions_threshold
)

select * from final
