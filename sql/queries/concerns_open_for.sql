-- The open concern about this location, or about this provider (location_id null), if any.
-- params: location_id, provider_id
select cast(concern_id as varchar) as concern_id, opened_on
from concerns
where closed_on is null
  and location_id is not distinct from $location_id
  and provider_id is not distinct from $provider_id
