-- The versions held in the warehouse that this load leaves superseded (stage_versions.sql, the
-- rule) get when, and the batch of the version now current. They stay as history.
-- {table} is the returns table being loaded, an identifier from the fixed list
-- market_oversight.ingest.tabular.RETURNS (care_home_returns, home_care_returns).
-- params: loaded_at
update {table} as r
set superseded_at = $loaded_at, superseded_by_batch = v.current_batch
from stage_versions as v
where r.superseded_at is null
  and r.location_id = v.location_id
  and r.period = v.period
  and r.batch_id = v.batch_id
