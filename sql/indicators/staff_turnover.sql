-- Sustainability: leavers over the returns of the last 12 months, annualised, as a share of average
-- staff employed reach $staff_turnover_threshold. Needs at least 3 returns.
-- params: staff_turnover_domain, staff_turnover_points, staff_turnover_threshold
-- reads: stage_return_summary
with windowed as (
    select
        location_id,
        leavers_12m as leavers,
        staff_12m as staff,
        turnover_months_12m as months
    from stage_return_summary
),

final as (
    select
        location_id,
        'staff_turnover' as flag,
        $staff_turnover_domain as domain,
        $staff_turnover_points as points,
        round(leavers * 12.0 / months / staff, 6) as value,
        cast($staff_turnover_threshold as double) as threshold,
        json_object('leavers', leavers, 'months', months, 'average_staff', staff,
                    'source', 'provider returns') as evidence,
        format('{} leavers in {} months: annual turnover {:.0f}% of {:.0f} staff', leavers, months,
               100 * leavers * 12.0 / months / staff, staff) as message
    from windowed
    where months >= 3 and staff > 0
      and round(leavers * 12.0 / months / staff, 6) >= $staff_turnover_threshold
)

select * from final
