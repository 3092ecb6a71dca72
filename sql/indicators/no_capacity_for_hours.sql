-- Sustainability (home care): the latest $no_capacity_for_hours_threshold or more returns in a row
-- (of the last 12 months) say it cannot take more hours.
-- params: no_capacity_for_hours_domain, no_capacity_for_hours_points, no_capacity_for_hours_threshold
-- reads: stage_return_summary
with answers as (
    select
        location_id,
        -- latest first (a struct sorts by its first field, the period)
        list_transform(list_reverse_sort(more_hours_answers), lambda a: a.can_take_more_hours) as latest_first,
        more_hours_latest_period as latest_period
    from stage_return_summary
    where len(more_hours_answers) > 0
),

runs as (
    select
        location_id,
        -- the run of 'no' answers from the latest return back to the first 'yes'
        coalesce(list_position(latest_first, true) - 1, len(latest_first)) as months_unable,
        latest_period
    from answers
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
