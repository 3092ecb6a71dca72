-- Locations scored at $as_of: care homes and home-care services registered on that date, with the
-- register facts the indicators need, and the provider's ownership type. Grain: one row per location.
-- params: as_of
-- reads: 
with register as (
    select
        location_id,
        provider_id,
        service_kind,
        beds,
        coalesce(local_authority, 'unknown') as local_authority,
        registration_date,
        deregistration_date,
        registration_status,
        has_registered_manager,
        registered_manager_absent_date,
        brand_id,
        brand_name,
        snapshot_date,
        coalesce(service_types, []) as service_types,
        coalesce(specialisms, []) as specialisms
    from main.cqc_locations
    where service_kind in ('care_home', 'home_care')
),

registered_at_as_of as (
    select *
    from register
    where coalesce(registration_date, date '1900-01-01') <= $as_of
      and (deregistration_date is null or deregistration_date > $as_of)
      -- deregistered with no date recorded: gone from the snapshot date on
      and not (registration_status = 'Deregistered' and deregistration_date is null
               and snapshot_date <= $as_of)
),

final as (
    select
        r.location_id,
        r.provider_id,
        p.ownership_type,
        r.service_kind,
        r.beds,
        r.local_authority,
        r.registration_date,
        r.has_registered_manager,
        r.registered_manager_absent_date,
        r.brand_id,
        r.brand_name,
        r.snapshot_date,
        offers_nursing(r.service_types) as nursing,      -- migration 078, as mart.service_capacity
        offers_dementia(r.specialisms) as dementia
    from registered_at_as_of as r
    left join main.cqc_providers as p using (provider_id)
)

select * from final
