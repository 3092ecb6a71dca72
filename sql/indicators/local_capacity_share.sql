-- Impact: the location's share of the beds (care homes) or people supported (home care) of its kind
-- in its local authority reaches $local_capacity_share_threshold. Points grow up to
-- $local_capacity_share_full_at. Size as people_affected's (stage_impact_size).
-- params: local_capacity_share_domain, local_capacity_share_points, local_capacity_share_full_at, local_capacity_share_threshold
-- reads: stage_impact_size
with shared as (
    select
        *,
        sum(size) over (partition by service_kind, local_authority) as market_size,
        count(*) over (partition by service_kind, local_authority) as market_locations
    from stage_impact_size
    where size > 0
),

final as (
    select
        location_id,
        'local_capacity_share' as flag,
        $local_capacity_share_domain as domain,
        $local_capacity_share_points * least(1.0, size / market_size / $local_capacity_share_full_at) as points,
        round(size / market_size, 6) as value,
        cast($local_capacity_share_threshold as double) as threshold,
        json_object('size', size, 'market_size', market_size, 'market_locations', market_locations,
                    'local_authority', local_authority, 'service_kind', service_kind,
                    'source', source) as evidence,
        format('{:.1f}% of the {} capacity in {}', 100 * size / market_size,
               replace(service_kind, '_', ' '), local_authority) as message
    from shared
    where round(size / market_size, 6) >= $local_capacity_share_threshold
)

select * from final
