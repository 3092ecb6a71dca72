-- Find anything: locations (by name, postcode, CQC location ID or CQC brand name), providers (by name
-- or CQC provider ID) and CQC brands (groups of providers, by name or CQC brand ID) whose text holds
-- every word typed, in any case, each word anywhere (a part of a word will do); punctuation is
-- ignored on both sides ("St Annes" finds "St. Anne's", "1234" finds "1-234..."), and a postcode
-- matches with or without its space. Best first: an exact CQC ID, then the exact name, then names
-- that start with what was typed, then the rest; registered before deregistered; by name.
-- $typed: the text as typed; $kinds: which of 'location', 'provider' and 'brand' to look for; $limit.
-- The text rule (search_text) and the shared-value rule (sole_value) are the macros of migration 117.
-- Grain: one row per location, provider or brand matched (kind says which).
with typed as (
    select
        search_text(trim($typed)) as text,
        list_filter(string_split(regexp_replace(lower(trim($typed)), '[^\p{L}\p{N} ]', ' ', 'g'), ' '),
                    lambda w: w <> '') as words,
        lower(trim($typed)) as exact_id
),

locations as (
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
    where list_contains($kinds, 'location')
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
    where list_contains($kinds, 'provider')
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
    where list_contains($kinds, 'brand')
      and brand_id is not null
    group by brand_id
),

matched as (
    select c.*, search_text(c.name) as plain_name
    from (select * from locations union all by name select * from providers
          union all by name select * from brands) as c
    cross join typed as t
    where len(t.words) > 0
      and list_bool_and(list_transform(t.words, lambda w: contains(c.haystack, w)))
),

ranked as (
    select
        m.*,
        case
            when lower(m.id) = t.exact_id then 0
            when m.plain_name = t.text then 1
            when starts_with(m.plain_name, t.text) then 2
            else 3
        end as rank
    from matched as m
    cross join typed as t
),

final as (
    select kind, id, name, provider_name, postcode, local_authority, service_kind, is_active, locations, rank
    from ranked
    order by rank, is_active desc, lower(name), kind, id
    limit $limit
)

select * from final
