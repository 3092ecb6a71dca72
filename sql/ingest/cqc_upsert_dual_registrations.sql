-- Dual registrations: insert, or update when this snapshot is at least as new.
insert into cqc_dual_registrations (location_id, primary_location_id, snapshot_date, batch_id)
select location_id, dual_registration_primary_id, snapshot_date, batch_id
from staged_cqc_locations
where dual_registration_primary_id is not null
on conflict (location_id) do update set
    primary_location_id = excluded.primary_location_id,
    snapshot_date = excluded.snapshot_date,
    batch_id = excluded.batch_id
where excluded.snapshot_date >= cqc_dual_registrations.snapshot_date
