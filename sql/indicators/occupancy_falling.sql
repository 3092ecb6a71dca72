-- Sustainability: occupancy fell by at least $occupancy_falling_threshold (a share, 0.05 = 5 points)
-- between the latest care-home return of the last 3 months and the return three months before it, in
-- homes registered for at least $occupancy_falling_min_beds beds (see low_occupancy).
-- params: occupancy_falling_min_beds, occupancy_falling_domain, occupancy_falling_points, occupancy_falling_threshold
-- reads: stage_locations, stage_return_summary
with latest as (
    select
        location_id,
        occupancy_now.period,
        occupancy_now.occupancy,
        -- the return three months before the latest one, if there is one
        list_filter(occupancy_before, lambda b: b.months_ago = occupancy_now.months_ago + 3)[1] as before
    from stage_return_summary
    join stage_locations using (location_id)
    where occupancy_now is not null
      and stage_locations.beds >= $occupancy_falling_min_beds
),

paired as (
    select
        location_id,
        period,
        occupancy,
        before.period as before_period,
        before.occupancy as before_occupancy,
        round(before.occupancy - occupancy, 6) as fall
    from latest
    where before is not null
),

final as (
    select
        location_id,
        'occupancy_falling' as flag,
        $occupancy_falling_domain as domain,
        $occupancy_falling_points as points,
        fall as value,
        cast($occupancy_falling_threshold as double) as threshold,
        json_object('period', period, 'occupancy', occupancy, 'before_period', before_period,
                    'before_occupancy', before_occupancy, 'source', 'care_home_returns') as evidence,
        format('Occupancy fell {:.1f} percentage points in three months, from {:.1f}% in {} to {:.1f}% in {}',
               100 * fall, 100 * before_occupancy, strftime(before_period, '%B %Y'), 100 * occupancy,
               strftime(period, '%B %Y')) as message
    from paired
    where fall >= $occupancy_falling_threshold
)

select * from final
