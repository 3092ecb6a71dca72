-- Grain: one row per kind of service and latest overall rating. Active locations in the area (the
-- local authority given; all when null) against every active location in the register (England when
-- the register is loaded from CQC's national file). Never-rated locations count as Not rated.
-- params: local_authority
with active as (
    select service_kind, local_authority, coalesce(latest_overall_rating, 'Not rated') as rating
    from mart.locations
    where is_active
),

counted as (
    select
        service_kind,
        rating,
        count(*) filter (where $local_authority is null or local_authority = $local_authority) as locations,
        count(*) as england_locations
    from active
    group by service_kind, rating
),

final as (
    select
        service_kind,
        rating,
        locations,
        locations / nullif(sum(locations) over (partition by service_kind), 0) as share,
        england_locations,
        england_locations / sum(england_locations) over (partition by service_kind) as england_share
    from counted
)

select * from final
order by service_kind, rating
