-- The register without ratings: what the app's filters, counts and maps need, cheap to read, and
-- the one place "active" is defined (mart.locations adds the latest overall rating to it).
with final as (
    select
        l.location_id,
        l.provider_id,
        l.location_name,
        p.provider_name,
        l.service_kind,
        l.beds,
        l.local_authority,
        l.region,
        l.icb_code,
        l.icb_name,
        l.postcode,
        l.latitude,
        l.longitude,
        l.registration_date,
        l.deregistration_date,
        l.deregistration_date is null and coalesce(l.registration_status, 'Registered') = 'Registered'
            as is_active,
        l.dormant,
        l.has_registered_manager,
        l.snapshot_date,
        l.brand_id,
        l.brand_name
    from main.cqc_locations as l
    left join main.cqc_providers as p using (provider_id)
)

select * from final
