-- Where each local authority's registered locations lie: their centre and spread, from which the
-- demo draws its own invented outlines (market_oversight.boundaries.demo_outline; the demo's places
-- are fictional, so no real boundary fits them).
-- Grain: one row per local authority with a located, registered location.
with located as (
    select local_authority, latitude, longitude
    from mart.register
    where is_active
      and local_authority is not null
      and latitude is not null and longitude is not null
),

final as (
    select
        local_authority,
        avg(latitude) as latitude,
        avg(longitude) as longitude,
        stddev_samp(latitude) as sd_latitude,
        stddev_samp(longitude) as sd_longitude,
        count(*) as locations
    from located
    group by local_authority
)

select * from final
order by local_authority
