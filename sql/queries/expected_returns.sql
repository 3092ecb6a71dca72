-- Returns expected and their status (late, missing, on time, not yet due), filtered.
-- params: location_id, provider_id, statuses
select location_id, provider_id, location_name, service_kind, local_authority, period, due_date,
       received_at, status
from mart.expected_returns
where ($location_id is null or location_id = $location_id)
  and ($provider_id is null or provider_id = $provider_id)
  and list_contains($statuses, status)
order by period desc, location_name
