-- Sustainability: agency hours as a share of hours paid (care homes) or delivered (home care) over
-- the returns of the last 3 months reach $agency_reliance_threshold. The evidence gives the sums to
-- 2 decimal places (the order of summing moves the last binary digit).
-- params: agency_reliance_domain, agency_reliance_points, agency_reliance_threshold
-- reads: stage_return_summary
with windowed as (
    select
        location_id,
        agency_hours_3m as agency_hours,
        hours_3m as hours,
        agency_months_3m as months
    from stage_return_summary
    where agency_months_3m > 0
),

final as (
    select
        location_id,
        'agency_reliance' as flag,
        $agency_reliance_domain as domain,
        $agency_reliance_points as points,
        round(agency_hours / hours, 6) as value,
        cast($agency_reliance_threshold as double) as threshold,
        json_object('agency_hours', round(agency_hours, 2), 'hours', round(hours, 2), 'months', months,
                    'source', 'provider returns: agency_hours / hours paid or delivered') as evidence,
        format('Agency staff worked {:.0f}% of hours over {} {}', 100 * agency_hours / hours,
               months, if(months = 1, 'month', 'months')) as message
    from windowed
    where round(agency_hours / hours, 6) >= $agency_reliance_threshold
)

select * from final
