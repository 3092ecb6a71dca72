-- The audit log is append-only: nothing in the app updates or deletes it, and each row is chained to
-- the one before by a SHA-256 hash (audit.verify_chain), so an edit made outside the app, with a
-- DuckDB shell on the file, is detected. seq orders the chain; unique, so two writers cannot both
-- claim the same place in it (the loser's transaction fails and is retried).
alter table audit_log add column seq bigint;
alter table audit_log add column prev_hash varchar;
alter table audit_log add column row_hash varchar;
create unique index audit_log_seq on audit_log (seq);
