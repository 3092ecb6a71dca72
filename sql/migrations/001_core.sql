-- Core warehouse: load batches, quarantine, and the CQC register with its rating history.

-- One row per load attempt of one source (file, folder or API pull).
create table ingest_batches (
    batch_id varchar primary key,
    dataset varchar not null,            -- cqc_register, care_home_returns, home_care_returns, fee_rates, benchmarks
    source varchar not null,             -- the path or URL as given
    content_hash varchar not null,       -- sha256 of the bytes read; the same hash twice is already_loaded
    status varchar not null,             -- loaded | rejected
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    snapshot_date date,                  -- the date the source describes, where known
    started_at timestamp not null,
    finished_at timestamp,
    validation json,                     -- the Great Expectations result summary, per rule
    message varchar,
    check (rows_read = rows_loaded + rows_quarantined)
);

-- One row per source row that broke at least one rule, stored whole as read.
create table quarantine (
    batch_id varchar not null,
    dataset varchar not null,
    row_number integer not null,         -- 1-based data row number in the source (header excluded)
    location_id varchar,                 -- as read, for export per provider
    provider_id varchar,
    raw json not null,                   -- the row as read: column name -> text
    rules varchar[] not null,            -- every rule the row broke
    messages varchar[] not null,         -- one plain-English message per rule
    primary key (batch_id, row_number)
);

-- One row per CQC provider ever seen; newest snapshot wins.
create table cqc_providers (
    provider_id varchar primary key,
    provider_name varchar,
    ownership_type varchar,
    companies_house_number varchar,
    snapshot_date date not null,
    batch_id varchar not null
);

-- One row per CQC location ever seen; newest snapshot wins, deregistered locations are kept.
create table cqc_locations (
    location_id varchar primary key,
    provider_id varchar,
    location_name varchar,
    care_home boolean,
    service_kind varchar not null,       -- care_home | home_care | other (market_oversight.vocab)
    beds integer,
    local_authority varchar,
    region varchar,
    icb_code varchar,
    icb_name varchar,
    postcode varchar,
    latitude double,
    longitude double,
    registration_status varchar,         -- Registered | Deregistered
    registration_date date,
    deregistration_date date,
    dormant boolean,
    has_registered_manager boolean,
    primary_inspection_category varchar,
    service_types varchar[],
    specialisms varchar[],
    snapshot_date date not null,
    batch_id varchar not null
);

-- One row per location, report date and key question: the full rating history.
create table cqc_ratings (
    location_id varchar not null,
    report_date date not null,
    key_question varchar not null,       -- overall | safe | effective | caring | responsive | well_led
    rating varchar not null,             -- canonical label (market_oversight.vocab.RATINGS)
    report_link varchar,
    batch_id varchar not null,
    primary key (location_id, report_date, key_question)
);
