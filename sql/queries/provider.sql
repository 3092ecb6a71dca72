-- One provider (the registered company), from the register: its name, kind of owner and how many
-- locations it has, registered and in all.
-- Grain: one row for the provider; none when no location of the register has that provider ID.
-- params: provider_id
with located as (
    select provider_id, provider_name, is_active
    from mart.register
    where provider_id = $provider_id
),

final as (
    select
        l.provider_id,
        any_value(l.provider_name) as provider_name,
        any_value(p.ownership_type) as ownership_type,
        any_value(p.companies_house_number) as companies_house_number,
        count(*) as locations,
        count(*) filter (where l.is_active) as registered_locations
    from located as l
    left join main.cqc_providers as p using (provider_id)
    group by l.provider_id
)

select * from final
