-- Quality: a care home of at least $large_home_min_beds registered beds. On the real Devon and
-- Plymouth rating history larger homes were found to fall more often at their next report
-- (docs/risk.md); more people live there when they do. Value is the beds, threshold the minimum.
-- Grain: one row per care home with at least that many beds.
-- params: large_home_min_beds, large_home_domain, large_home_points
-- reads: stage_locations
with large as (
    select location_id, beds
    from stage_locations
    where service_kind = 'care_home'
      and beds >= $large_home_min_beds
),

final as (
    select
        location_id,
        'large_home' as flag,
        $large_home_domain as domain,
        $large_home_points as points,
        cast(beds as double) as value,
        cast($large_home_min_beds as double) as threshold,
        json_object('beds', beds, 'source', 'cqc_locations') as evidence,
        format('{} registered beds', beds) as message
    from large
)

select * from final
