-- Data contracts: the judge's result per rule and batch, the returns calendar, and seed benchmarks.

-- One row per load batch and contract rule: how many rows broke it, as Great Expectations (engine
-- 'gx') or, when the judge is configured not to run on a file that size, the SQL check (engine 'sql')
-- counted them. The SQL check's count is stored beside it in sql_unexpected_count either way.
create table contract_results (
    batch_id varchar not null,
    dataset varchar not null,
    rule varchar not null,
    engine varchar not null,                 -- gx | sql
    success boolean not null,
    unexpected_count bigint not null,
    sql_unexpected_count bigint not null,
    primary key (batch_id, rule)
);

-- The council's returns calendar (one row): a month's return is due by this day of the following
-- month; later is late. Written from [returns] due_day_of_following_month on each returns load.
create table returns_calendar (
    due_day_of_following_month integer not null check (due_day_of_following_month between 1 and 28),
    set_at timestamp not null
);
insert into returns_calendar values (14, current_timestamp::timestamp);

-- The one definition of a return's due date, shared by mart.expected_returns and the risk
-- engine's late_missing_returns indicator.
create macro return_due_date(period, due_day) as
    cast(date_trunc('month', period) + interval 1 month + to_days(cast(due_day - 1 as integer)) as date);

-- The Homecare Association's published minimum price for home care per hour. A benchmarks file
-- giving the same year, category and benchmark replaces these.
insert into ingest_batches values
    ('seed-hca-minimum', 'benchmarks', 'Homecare Association minimum price for homecare (published)',
     'seed', 'loaded', 2, 2, 0, null, current_timestamp::timestamp, current_timestamp::timestamp,
     null, 'seeded by migration 011');
insert into benchmarks values
    ('2024/25', 'home_care', 'homecare_association_minimum', 28.53, 'hour',
     'Homecare Association minimum price for homecare 2024/25 (published)', 'seed-hca-minimum', 1),
    ('2025/26', 'home_care', 'homecare_association_minimum', 32.14, 'hour',
     'Homecare Association minimum price for homecare 2025/26 (published)', 'seed-hca-minimum', 2);
