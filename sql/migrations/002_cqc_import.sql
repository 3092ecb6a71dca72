-- CQC import (issue 2 item 3): dual registrations and how each rating's date is known.

-- For a dual-registered location, the ID of the primary location it is registered alongside
-- (the HSCA file's `Primary ID (Dual registration locations)`); null otherwise.
alter table cqc_locations add column dual_registration_primary_id varchar;

-- How report_date is known: 'report' = the date of the CQC report that gave the rating;
-- 'observed' = the source gave no rating date, so report_date is the snapshot date of the first
-- source that showed this rating (the report was published on or before it). See docs/cqc_import.md.
alter table cqc_ratings add column date_basis varchar default 'report';
