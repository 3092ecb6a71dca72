-- Quality: safeguarding concerns and complaints per bed (care homes) or per person supported (home
-- care) over the last $concerns_high_months months, against the median rate of the same kind of
-- service in the same local authority (all of the kind when the local market is small).
-- params: concerns_high_min_market, concerns_high_domain, concerns_high_points, concerns_high_ratio, concerns_high_min_count
-- reads: stage_locations, stage_return_summary
with windowed as (
    select
        l.location_id,
        l.service_kind,
        l.local_authority,
        s.concerns_window as concerns,
        s.concerns_window_months as months,
        case when l.service_kind = 'care_home' then coalesce(l.beds, s.concerns_window_beds)
             else s.concerns_window_people end as size
    from stage_locations as l
    join stage_return_summary as s using (location_id)
    where s.concerns_window_months > 0
),

rates as (
    select *, concerns / size as rate
    from windowed
    where size > 0
),

local_market as (
    select service_kind, local_authority, median(rate) as median_rate, count(*) as locations
    from rates
    group by service_kind, local_authority
),

national as (
    select service_kind, median(rate) as median_rate
    from rates
    group by service_kind
),

compared as (
    select
        r.*,
        case when m.locations >= $concerns_high_min_market then m.median_rate else n.median_rate end
            as market_rate,
        m.locations >= $concerns_high_min_market as local_comparison
    from rates as r
    join local_market as m using (service_kind, local_authority)
    join national as n using (service_kind)
),

final as (
    select
        location_id,
        'concerns_high' as flag,
        $concerns_high_domain as domain,
        $concerns_high_points as points,
        round(rate, 6) as value,
        round($concerns_high_ratio * market_rate, 6) as threshold,
        json_object('concerns', concerns, 'months', months, 'size', size, 'rate', rate,
                    'market_median_rate', market_rate,
                    'market', case when local_comparison then local_authority else 'all of the kind' end,
                    'source', 'provider returns: safeguarding_concerns + complaints') as evidence,
        format('{} concerns and complaints in {} months: {:.1f} per 100 {}, against a market median of {:.1f}',
               concerns, months, rate * 100,
               case when service_kind = 'care_home' then 'beds' else 'people supported' end,
               market_rate * 100) as message
    from compared
    where round(rate, 6) >= round($concerns_high_ratio * market_rate, 6)
      and concerns >= $concerns_high_min_count
)

select * from final
