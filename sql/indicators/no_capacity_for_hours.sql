-- Sustainability (home care): the latest $no_capacity_for_hours_threshold or more returns in a row
-- (of the last 12 months) say it cannot take more hours.
with answers as (
    select
        r.location_id,
        r.period,
        r.can_take_more_hours,
        row_number() over (partition by r.location_id order by r.period desc) as recency
    from stage_locations as l
    join stage_returns as r using (location_id)
    where r.kind = 'home_care' and r.months_ago between 1 and 12 and r.can_take_more_hours is not null
),

runs as (
    select
        location_id,
        -- the run of 'no' answers from the latest return back to the first 'yes'
        coalesce(min(recency) filter (where can_take_more_hours), max(recency) + 1) - 1 as months_unable,
        max(period) as latest_period
    from answers
    group by location_id
),

final as (
    select
        location_id,
        'no_capacity_for_hours' as flag,
        $no_capacity_for_hours_domain as domain,
        $no_capacity_for_hours_points as points,
        cast(months_unable as double) as value,
        cast($no_capacity_for_hours_threshold as double) as threshold,
        json_object('consecutive_returns', months_unable, 'latest_period', latest_period,
                    'source', 'home_care_returns: can_take_more_hours') as evidence,
        format('Unable to take more hours in the last {} returns', months_unable) as message
    from runs
    where months_unable >= $no_capacity_for_hours_threshold
)

select * from final
