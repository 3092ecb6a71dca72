-- Sustainability: occupancy (occupied / beds) in the latest care-home return of the last 3 months
-- is below $low_occupancy_threshold.
with latest as (
    select
        r.location_id,
        r.period,
        r.occupied_beds,
        coalesce(r.beds, l.beds) as beds
    from stage_locations as l
    join stage_returns as r using (location_id)
    where r.kind = 'care_home' and r.months_ago between 1 and 3 and r.occupied_beds is not null
    qualify row_number() over (partition by r.location_id order by r.period desc) = 1
),

final as (
    select
        location_id,
        'low_occupancy' as flag,
        $low_occupancy_domain as domain,
        $low_occupancy_points as points,
        round(occupied_beds / beds, 6) as value,
        cast($low_occupancy_threshold as double) as threshold,
        json_object('period', period, 'occupied_beds', occupied_beds, 'beds', beds,
                    'source', 'care_home_returns') as evidence,
        format('Occupancy {:.1f}% in {} ({} of {} beds), below {:.0f}%',
               100 * occupied_beds / beds, strftime(period, '%B %Y'), occupied_beds, beds,
               100 * $low_occupancy_threshold) as message
    from latest
    where beds > 0 and round(occupied_beds / beds, 6) < $low_occupancy_threshold
)

select * from final
