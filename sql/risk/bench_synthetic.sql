-- Benchmark data only (bench/risk_score.py): a national-scale register with ratings and $months months
-- of returns up to September 2026, 10% of care-home returns resubmitted. Deterministic (hash-based), no randomness.
-- params: care_homes, home_care, months
insert into main.ingest_batches (batch_id, dataset, source, content_hash, status, rows_read, rows_loaded,
    rows_quarantined, snapshot_date, started_at, finished_at)
values ('bench', 'care_home_returns', 'bench', 'bench', 'loaded', 0, 0, 0, date '2026-10-01',
        timestamp '2026-10-01', timestamp '2026-10-01');

insert into main.cqc_locations (location_id, provider_id, location_name, care_home, service_kind, beds,
    local_authority, registration_status, registration_date, has_registered_manager, service_types,
    specialisms, snapshot_date, batch_id)
select
    'L' || i,
    'P' || (i % 9000),
    'Location ' || i,
    i < $care_homes,
    case when i < $care_homes then 'care_home' else 'home_care' end,
    case when i < $care_homes then 10 + hash(i) % 80 end,
    'LA' || (i % 150),
    'Registered',
    date '2010-01-01',
    hash(i, 'manager') % 20 <> 0,
    case when i < $care_homes and i % 3 = 0 then ['Care home service with nursing']
         else ['Care home service without nursing'] end,
    case when i % 4 = 0 then ['Dementia'] else [] end,
    date '2026-10-01',
    'bench'
from range($care_homes + $home_care) as t(i);

insert into main.cqc_ratings (location_id, report_date, key_question, rating, batch_id)
select
    'L' || i,
    date '2021-01-01' + cast(r * 900 + hash(i, r) % 900 as integer),
    kq,
    ['Outstanding', 'Good', 'Good', 'Good', 'Requires improvement', 'Inadequate'][cast(1 + hash(i, r, kq) % 6 as bigint)],
    'bench'
from range($care_homes + $home_care) as t(i)
cross join range(2) as u(r)
cross join (values ('overall'), ('safe'), ('well_led')) as k(kq);

insert into main.care_home_returns
select
    'L' || i,
    cast(date '2026-10-01' - to_months(cast($months - m as integer)) as date),
    10 + hash(i) % 80,
    cast((10 + hash(i) % 80) * (0.7 + (hash(i, m) % 30) / 100.0) as integer),
    hash(i, m, 'v') % 4,
    hash(i, m, 'a') % 10 <> 0,
    3, 30, 2, 6000, hash(i, m, 'ag') % 1200, 100, 50,
    hash(i, m, 'vac') % 6, hash(i, m, 'l') % 3, hash(i, m, 's') % 2, hash(i, m, 'c') % 2, 0,
    10, 3, 20,
    cast(date '2026-11-05' - to_months(cast($months - m as integer)) as timestamp) + to_days(cast(hash(i, m, 'd') % 20 as integer)),
    'bench', cast(i * 100 + m as integer), null, null,
    null   -- residents_other_councils (migration 081): not known
from range($care_homes) as t(i)
cross join range($months) as u(m)
where hash(i, m, 'missing') % 50 <> 0
-- month by month, as monthly loads store them
order by m, i;

insert into main.home_care_returns
select
    'L' || i,
    cast(date '2026-10-01' - to_months(cast($months - m as integer)) as date),
    20 + hash(i) % 40, 5, 10 + hash(i, m) % 20, 4000, hash(i, m, 'ag') % 800, 40,
    hash(i, m, 'vac') % 6, hash(i, m, 'l') % 3, hash(i, m, 'h') % 3, (hash(i, m, 'hp') % 80) / 10.0,
    hash(i, m, 't') % 5 <> 0, 20, 0, 1, hash(i, m, 's') % 2, hash(i, m, 'c') % 2,
    cast(date '2026-11-05' - to_months(cast($months - m as integer)) as timestamp) + to_days(cast(hash(i, m, 'd') % 20 as integer)),
    'bench', cast(i * 100 + m as integer), null, null
from range($care_homes, $care_homes + $home_care) as t(i)
cross join range($months) as u(m)
where hash(i, m, 'missing') % 50 <> 0
-- month by month, as monthly loads store them
order by m, i;

-- 10% of care-home returns resubmitted a week later: the earlier version is superseded (marked as
-- the returns loader marks it)
insert into main.care_home_returns by name
select * exclude (submitted_at, occupied_beds, row_number),
    occupied_beds + 1 as occupied_beds,
    submitted_at + interval 7 day as submitted_at,
    row_number + 50 as row_number
from main.care_home_returns
where hash(location_id, period) % 10 = 0;

update main.care_home_returns as r
set superseded_at = n.submitted_at, superseded_by_batch = n.batch_id
from main.care_home_returns as n
where n.location_id = r.location_id and n.period = r.period and n.row_number = r.row_number + 50;
