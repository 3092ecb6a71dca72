-- Providers with full details: insert, or update when this snapshot is at least as new.
insert into cqc_providers (
    provider_id, provider_name, ownership_type, companies_house_number, snapshot_date, batch_id
)
select
    provider_id, provider_name, ownership_type, companies_house_number, snapshot_date, batch_id
from staged_cqc_providers
where has_details
on conflict (provider_id) do update set
    provider_name = excluded.provider_name,
    ownership_type = excluded.ownership_type,
    companies_house_number = excluded.companies_house_number,
    snapshot_date = excluded.snapshot_date,
    batch_id = excluded.batch_id
where excluded.snapshot_date >= cqc_providers.snapshot_date
