-- One CQC brand (a group of providers under one owner), from the register: its name, how many
-- providers and locations it has, registered and in all.
-- Grain: one row for the brand; none when no location of the register has that brand ID.
-- params: brand_id
with located as (
    select brand_id, brand_name, provider_id, is_active
    from mart.register
    where brand_id = $brand_id
),

final as (
    select
        brand_id,
        any_value(brand_name) as brand_name,
        count(distinct provider_id) as providers,
        count(distinct provider_id) filter (where is_active) as registered_providers,
        count(*) as locations,
        count(*) filter (where is_active) as registered_locations
    from located
    group by brand_id
)

select * from final
