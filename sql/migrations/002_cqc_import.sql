-- CQC import (issue 2 item 3): dual registrations and ratings whose date was observed, not reported.
-- New tables rather than new columns, so that inserts into the core tables keep their shape.

-- One row per dual-registered location: the primary location it is registered alongside
-- (the HSCA file's `Primary ID (Dual registration locations)`); newest snapshot wins.
create table cqc_dual_registrations (
    location_id varchar primary key,
    primary_location_id varchar not null,
    snapshot_date date not null,
    batch_id varchar not null
);

-- One row per cqc_ratings row whose report_date is NOT a CQC report date: the source gave no
-- rating date (bulk files; unrated locations in the API), so report_date is the snapshot date of the
-- first import that showed the rating (the report was published on or before it).
-- See docs/cqc_import.md.
create table cqc_rating_observed (
    location_id varchar not null,
    report_date date not null,
    key_question varchar not null,
    batch_id varchar not null,
    primary key (location_id, report_date, key_question)
);
