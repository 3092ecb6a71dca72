-- Sustainability: the provider's CQC ownership type (cqc_providers.ownership_type, e.g. For-profit,
-- Third sector, Local Authority) is one of $ownership_type_types. In the real community history
-- (docs/risk.md) for-profit services close more often than the others.
-- Grain: one row per location whose provider's ownership type is listed.
-- params: ownership_type_types, ownership_type_domain, ownership_type_points
-- reads: stage_locations
with owned as (
    select l.location_id, l.ownership_type
    from stage_locations as l
    where list_contains($ownership_type_types, l.ownership_type)
),

final as (
    select
        location_id,
        'ownership_type' as flag,
        $ownership_type_domain as domain,
        $ownership_type_points as points,
        cast(null as double) as value,
        cast(null as double) as threshold,
        json_object('ownership_type', ownership_type, 'source', 'cqc_providers') as evidence,
        format('Provider''s ownership type: {}', ownership_type) as message
    from owned
)

select * from final
