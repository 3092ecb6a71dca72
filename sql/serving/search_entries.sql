-- serving.search_entries (migration 106): what "find anything" (sql/queries/search.sql) searches.
-- Locations by name, postcode (with and without its space), CQC location ID or CQC brand name;
-- providers by name or CQC provider ID; CQC brands by name or CQC brand ID. haystack is that text in
-- lower case with punctuation taken out, plain_name the name likewise (the macro search_text of
-- migration 117); a provider's or brand's council and kind only when all its locations share one
-- (sole_value).
-- Grain: one row per location, provider and brand (kind says which).
with locations as (
    select
        'location' as kind,
        location_id as id,
        location_name as name,
        provider_name,
        postcode,
        local_authority,
        service_kind,
        is_active,
        1 as locations,
        search_text(concat_ws(' ', location_name, postcode, replace(postcode, ' ', ''), location_id, brand_name))
            as haystack
    from mart.register
),

providers as (
    select
        'provider' as kind,
        provider_id as id,
        any_value(provider_name) as name,
        any_value(provider_name) as provider_name,
        null as postcode,
        sole_value(local_authority) as local_authority,
        sole_value(service_kind) as service_kind,
        bool_or(is_active) as is_active,
        count(*) as locations,
        search_text(concat_ws(' ', any_value(provider_name), provider_id)) as haystack
    from mart.register
    where provider_id is not null            -- a location whose record names no provider is found as a location
    group by provider_id
),

brands as (
    select
        'brand' as kind,
        brand_id as id,
        coalesce(any_value(brand_name), brand_id) as name,
        case when count(distinct provider_id) = 1 then any_value(provider_name) end as provider_name,
        null as postcode,
        sole_value(local_authority) as local_authority,
        sole_value(service_kind) as service_kind,
        bool_or(is_active) as is_active,
        count(*) as locations,
        search_text(concat_ws(' ', any_value(brand_name), brand_id)) as haystack
    from mart.register
    where brand_id is not null
    group by brand_id
),

final as (
    select
        c.kind, c.id, c.name, c.provider_name, c.postcode, c.local_authority, c.service_kind, c.is_active,
        c.locations, c.haystack,
        search_text(c.name) as plain_name
    from (select * from locations union all by name select * from providers
          union all by name select * from brands) as c
)

select * from final
