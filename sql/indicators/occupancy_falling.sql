-- Sustainability: occupancy fell by at least $occupancy_falling_threshold (a share, 0.05 = 5 points)
-- between the latest care-home return of the last 3 months and the return three months before it.
with occupancy as (
    select
        r.location_id,
        r.period,
        r.occupied_beds / coalesce(r.beds, l.beds) as occupancy
    from stage_locations as l
    join stage_returns as r using (location_id)
    where r.kind = 'care_home' and coalesce(r.beds, l.beds) > 0 and r.occupied_beds is not null
),

latest as (
    select *
    from occupancy
    where period >= cast(date_trunc('month', $as_of) - interval 3 month as date)
    qualify row_number() over (partition by location_id order by period desc) = 1
),

paired as (
    select
        n.location_id,
        n.period,
        n.occupancy,
        b.period as before_period,
        b.occupancy as before_occupancy,
        round(b.occupancy - n.occupancy, 6) as fall
    from latest as n
    join occupancy as b
        on b.location_id = n.location_id
       and b.period = cast(n.period - interval 3 month as date)
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
        format('Occupancy fell {:.1f} points in three months, from {:.1f}% to {:.1f}%',
               100 * fall, 100 * before_occupancy, 100 * occupancy) as message
    from paired
    where fall >= $occupancy_falling_threshold
)

select * from final
