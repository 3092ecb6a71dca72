-- Names of the given locations, for casework lists.
select location_id, location_name, provider_name, postcode, local_authority
from mart.register
where list_contains($location_ids, location_id)
