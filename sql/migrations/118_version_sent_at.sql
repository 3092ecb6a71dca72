-- The one definition of when a version of a provider's return counts as sent: its submitted_at,
-- else the start of the load that brought it. Read by the rule for which version is current
-- (sql/ingest/stage_versions.sql), by the returns as at a date of the risk engine
-- (sql/risk/stage_returns.sql) and by lateness (mart.expected_returns). Migration 077 wrote the
-- rule out once more when it put old returns right; migrations are not edited.
create macro version_sent_at(submitted_at, load_started_at) as coalesce(submitted_at, load_started_at);
