-- Monthly provider returns, fee rates and benchmarks.
-- Returns are versioned: a resubmission for the same location and period supersedes the earlier
-- row, which stays with superseded_at / superseded_by_batch set. The current version has
-- superseded_at null.

-- One row per care-home location, month and version.
create table care_home_returns (
    location_id varchar not null,
    period date not null,                    -- first day of the month reported on
    beds integer,                            -- maximum capacity
    occupied_beds integer,
    vacant_beds_accepting integer,           -- vacant beds open to admissions
    accepting_admissions boolean,
    nurses_employed integer,
    care_workers_employed integer,
    agency_staff integer,
    hours_paid double,
    agency_hours double,
    overtime_hours double,
    absence_hours double,
    staff_vacancies integer,
    leavers integer,
    safeguarding_concerns integer,
    complaints integer,
    notifiable_incidents integer,
    residents_council integer,
    residents_nhs integer,
    residents_self_funded integer,
    submitted_at timestamp,
    batch_id varchar not null,
    row_number integer not null,
    superseded_at timestamp,
    superseded_by_batch varchar
);

-- One row per home-care location, month and version.
create table home_care_returns (
    location_id varchar not null,
    period date not null,
    people_council integer,
    people_nhs integer,
    people_self_funded integer,
    hours_delivered double,
    agency_hours double,
    care_workers_employed integer,
    vacancies integer,
    leavers integer,
    packages_handed_back integer,
    packages_handed_back_pct double,         -- the Capacity Tracker's returnedpocpercent, 0..100
    can_take_more_hours boolean,
    extra_hours_available double,
    missed_visits integer,
    late_visits integer,
    safeguarding_concerns integer,
    complaints integer,
    submitted_at timestamp,
    batch_id varchar not null,
    row_number integer not null,
    superseded_at timestamp,
    superseded_by_batch varchar
);

-- One row per commissioned rate: a location (or a whole provider), care category and period.
create table fee_rates (
    location_id varchar,
    provider_id varchar,
    care_category varchar not null,          -- residential | residential_dementia | nursing | nursing_dementia | home_care
    amount double not null,
    unit varchar not null,                   -- week | hour
    effective_from date not null,
    effective_to date,
    funder varchar,
    batch_id varchar not null,
    row_number integer not null
);

-- One row per benchmark, financial year and care category.
create table benchmarks (
    financial_year varchar not null,         -- '2025/26'
    care_category varchar not null,
    benchmark varchar not null,              -- council_usual_rate | fair_cost_of_care_median | homecare_association_minimum
    amount double not null,
    unit varchar not null,
    source varchar,
    batch_id varchar not null,
    row_number integer not null
);
