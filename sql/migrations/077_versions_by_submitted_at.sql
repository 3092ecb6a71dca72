-- Versions by what the provider says (issue 19): loads before this made the version loaded last
-- current; the rule is now the version sent last, by submitted_at, the later load on a tie
-- (sql/ingest/stage_versions.sql). Each return whose current version is not that one is put
-- right once, here: the version sent last becomes current again, and a version wrongly current is
-- marked superseded now by it. Versions superseded before keep their marks. Returns read right
-- already (almost all) are not touched.

update care_home_returns as r
set superseded_at = case when r.batch_id = w.batch_id then null
                         else coalesce(r.superseded_at, current_timestamp::timestamp) end,
    superseded_by_batch = case when r.batch_id = w.batch_id then null
                               else coalesce(r.superseded_by_batch, w.batch_id) end
from (
    select v.location_id, v.period,
        arg_max(v.batch_id, struct_pack(sent_at := coalesce(v.submitted_at, b.started_at),
                                        loaded_at := b.started_at)) as batch_id
    from care_home_returns as v
    left join ingest_batches as b using (batch_id)
    group by v.location_id, v.period
    having count(*) > 1
) as w
where r.location_id = w.location_id
  and r.period = w.period
  and ((r.batch_id = w.batch_id and r.superseded_at is not null)
       or (r.batch_id <> w.batch_id and r.superseded_at is null));

update home_care_returns as r
set superseded_at = case when r.batch_id = w.batch_id then null
                         else coalesce(r.superseded_at, current_timestamp::timestamp) end,
    superseded_by_batch = case when r.batch_id = w.batch_id then null
                               else coalesce(r.superseded_by_batch, w.batch_id) end
from (
    select v.location_id, v.period,
        arg_max(v.batch_id, struct_pack(sent_at := coalesce(v.submitted_at, b.started_at),
                                        loaded_at := b.started_at)) as batch_id
    from home_care_returns as v
    left join ingest_batches as b using (batch_id)
    group by v.location_id, v.period
    having count(*) > 1
) as w
where r.location_id = w.location_id
  and r.period = w.period
  and ((r.batch_id = w.batch_id and r.superseded_at is not null)
       or (r.batch_id <> w.batch_id and r.superseded_at is null));
