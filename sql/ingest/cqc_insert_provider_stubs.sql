-- Providers known only by ID (referenced by a location, no provider record in the source):
-- a row so that every location's provider exists, never overwriting what is known.
insert into cqc_providers (
    provider_id, provider_name, ownership_type, companies_house_number, snapshot_date, batch_id
)
select
    provider_id, provider_name, ownership_type, companies_house_number, snapshot_date, batch_id
from staged_cqc_providers
where not has_details
on conflict (provider_id) do nothing
