-- Sustainability (home care): mean share of packages handed back over the returns of the last
-- 3 months reaches $packages_handed_back_threshold (percent, 0..100).
with windowed as (
    select r.location_id, avg(r.packages_handed_back_pct) as pct, count(*) as months
    from stage_locations as l
    join stage_returns as r using (location_id)
    where r.kind = 'home_care' and r.months_ago between 1 and 3
      and r.packages_handed_back_pct is not null
    group by r.location_id
),

final as (
    select
        location_id,
        'packages_handed_back' as flag,
        $packages_handed_back_domain as domain,
        $packages_handed_back_points as points,
        round(pct, 6) as value,
        cast($packages_handed_back_threshold as double) as threshold,
        json_object('mean_pct', pct, 'months', months,
                    'source', 'home_care_returns: packages_handed_back_pct') as evidence,
        format('Handed back {:.1f}% of packages on average over {} months', pct, months) as message
    from windowed
    where round(pct, 6) >= $packages_handed_back_threshold
)

select * from final
