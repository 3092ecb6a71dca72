-- Locations for the market overview, filtered; a null parameter means "any".
with filtered as (
    select
        location_id,
        location_name,
        provider_name,
        service_kind,
        beds,
        local_authority,
        icb_code,
        is_active,
        latest_overall_rating,
        latest_rating_date
    from mart.locations
    where ($local_authority is null or local_authority = $local_authority)
      and ($service_kind is null or service_kind = $service_kind)
      and ($active_only = false or is_active)
),

final as (
    select * from filtered
    order by location_name
)

select * from final
