-- Locations: insert, or update when this snapshot is at least as new (an older one never wins).
insert into cqc_locations (
    location_id, provider_id, location_name, care_home, service_kind, beds, local_authority, region,
    icb_code, icb_name, postcode, latitude, longitude, registration_status, registration_date,
    deregistration_date, dormant, has_registered_manager, primary_inspection_category,
    service_types, specialisms, snapshot_date, batch_id, registered_manager_absent_date, brand_id,
    brand_name
)
select
    location_id, provider_id, location_name, care_home, service_kind, beds, local_authority, region,
    icb_code, icb_name, postcode, latitude, longitude, registration_status, registration_date,
    deregistration_date, dormant, has_registered_manager, primary_inspection_category,
    service_types, specialisms, snapshot_date, batch_id, registered_manager_absent_date, brand_id,
    brand_name
from staged_cqc_locations
on conflict (location_id) do update set
    provider_id = excluded.provider_id,
    location_name = excluded.location_name,
    care_home = excluded.care_home,
    service_kind = excluded.service_kind,
    beds = excluded.beds,
    local_authority = excluded.local_authority,
    region = excluded.region,
    icb_code = coalesce(excluded.icb_code, cqc_locations.icb_code),
    icb_name = coalesce(excluded.icb_name, cqc_locations.icb_name),
    postcode = excluded.postcode,
    latitude = coalesce(excluded.latitude, cqc_locations.latitude),
    longitude = coalesce(excluded.longitude, cqc_locations.longitude),
    registration_status = excluded.registration_status,
    registration_date = excluded.registration_date,
    deregistration_date = excluded.deregistration_date,
    dormant = excluded.dormant,
    has_registered_manager = coalesce(excluded.has_registered_manager, cqc_locations.has_registered_manager),
    -- a source that says nothing of the manager (has_registered_manager null) keeps the date known
    registered_manager_absent_date = case when excluded.has_registered_manager is null
                                          then cqc_locations.registered_manager_absent_date
                                          else excluded.registered_manager_absent_date end,
    primary_inspection_category = excluded.primary_inspection_category,
    -- a source without brands (brand_id null) keeps the brand known
    brand_id = coalesce(excluded.brand_id, cqc_locations.brand_id),
    brand_name = coalesce(excluded.brand_name, cqc_locations.brand_name),
    service_types = excluded.service_types,
    specialisms = coalesce(excluded.specialisms, cqc_locations.specialisms),
    snapshot_date = excluded.snapshot_date,
    batch_id = excluded.batch_id
where excluded.snapshot_date >= cqc_locations.snapshot_date
