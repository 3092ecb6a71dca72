-- Sustainability: occupancy (occupied / beds) in the latest care-home return of the last 3 months
-- is below $low_occupancy_threshold, in homes of at least $low_occupancy_min_beds beds (in a very
-- small home one empty bed is a large share, and says little about viability).
-- params: low_occupancy_domain, low_occupancy_points, low_occupancy_threshold, low_occupancy_min_beds
-- reads: stage_return_summary
with latest as (
    select
        location_id,
        occupancy_3m.period,
        occupancy_3m.occupied_beds,
        occupancy_3m.beds
    from stage_return_summary
    where occupancy_3m is not null
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
    where beds >= greatest($low_occupancy_min_beds, 1)
      and round(occupied_beds / beds, 6) < $low_occupancy_threshold
)

select * from final
