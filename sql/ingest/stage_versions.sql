-- THE rule for which version of a provider's return is current, for care homes and home care alike:
-- the version the provider says it sent last (submitted_at; a version without one counts from the
-- start of the load that brought it: version_sent_at, migration 118), and of versions sent at the
-- same moment the one loaded last.
-- A re-sent older version is kept but does not replace a newer one.
-- Looks at the returns of dataset $dataset this load brings (stage_loaded, with the batches of this
-- load in staged_batches): the current version of each held in the warehouse, and the new ones.
-- Every earlier version is already marked superseded, so these are all the candidates. A return
-- new to the warehouse and brought by one file only has one version and is left out early: the
-- usual load of new months gives no rows.
-- Read by supersede_<dataset>.sql (versions held) and insert_<dataset>.sql (new versions).
-- Grain: one row per version (location, period and batch) this load leaves superseded, with the
-- batch of the version current after it.
-- params: dataset
with held as (
    select location_id, period, submitted_at, batch_id
    from main.care_home_returns
    where $dataset = 'care_home_returns'
      and superseded_at is null
      and (location_id, period) in (select location_id, period from stage_loaded)

    union all

    select location_id, period, submitted_at, batch_id
    from main.home_care_returns
    where $dataset = 'home_care_returns'
      and superseded_at is null
      and (location_id, period) in (select location_id, period from stage_loaded)
),

arriving as (
    select l.location_id, l.period, l.submitted_at, l.batch_id
    from stage_loaded as l
    where (select count(*) from staged_batches) > 1
       or (l.location_id, l.period) in (select location_id, period from held)
),

candidates as (
    select v.location_id, v.period, v.batch_id,
        version_sent_at(v.submitted_at, b.started_at) as sent_at,
        b.started_at as loaded_at
    from (select * from held union all select * from arriving) as v
    left join (
        select batch_id, started_at from main.ingest_batches
        union all
        select batch_id, started_at from staged_batches
    ) as b using (batch_id)
),

ranked as (
    select *,
        first_value(batch_id) over (
            partition by location_id, period
            order by sent_at desc nulls last, loaded_at desc nulls last
        ) as current_batch
    from candidates
    qualify count(*) over (partition by location_id, period) > 1
),

final as (
    select location_id, period, batch_id, current_batch
    from ranked
    where batch_id <> current_batch
)

select * from final
