-- The one definition, for both kinds of monthly return, of what the marts say of a return's
-- versions: how many were loaded (versions) and when the first was loaded (first_received_at, the
-- start of the batch that loaded it; lateness, in mart.expected_returns, counts from when it was
-- sent instead). Which version is current is decided when returns load
-- (sql/ingest/stage_versions.sql) and stored as superseded_at is null.
-- `kind` is 'care_home' or 'home_care'. Read by mart.care_home_returns and mart.home_care_returns.
-- (The tables are named here, not passed in: query_table() inside a mart view binds a name to the
-- view's own schema, mart, first.)
-- Grain: one row per location and period.
create macro return_versions(kind) as table
    select r.location_id, r.period, count(*) as versions, min(b.started_at) as first_received_at
    from (
        select location_id, period, batch_id
        from main.care_home_returns
        where kind = 'care_home'

        union all

        select location_id, period, batch_id
        from main.home_care_returns
        where kind = 'home_care'
    ) as r
    left join main.ingest_batches as b using (batch_id)
    group by r.location_id, r.period;
