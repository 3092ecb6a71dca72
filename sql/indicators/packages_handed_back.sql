-- Sustainability (home care): mean share of packages handed back over the returns of the last
-- 3 months reaches $packages_handed_back_threshold (percent, 0..100).
-- params: packages_handed_back_domain, packages_handed_back_points, packages_handed_back_threshold
-- reads: stage_return_summary
with windowed as (
    select location_id, handed_back_pct_3m as pct, handed_back_months_3m as months
    from stage_return_summary
    where handed_back_months_3m > 0
),

final as (
    select
        location_id,
        'packages_handed_back' as flag,
        $packages_handed_back_domain as domain,
        $packages_handed_back_points as points,
        round(pct, 6) as value,
        cast($packages_handed_back_threshold as double) as threshold,
        json_object('mean_pct', round(pct, 4), 'months', months,
                    'source', 'home_care_returns: packages_handed_back_pct') as evidence,
        format('Handed back {:.1f}% of packages on average over {} {}', pct, months,
               if(months = 1, 'month', 'months')) as message
    from windowed
    where round(pct, 6) >= $packages_handed_back_threshold
)

select * from final
