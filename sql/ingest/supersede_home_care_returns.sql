-- A resubmission supersedes the current version of the same location and month: the current
-- version gets when, and the batch of the first new version in this load (later new versions
-- of the same return are marked as they are inserted). The earlier version stays as history.
-- Only returns the warehouse holds are looked at: a load of new months groups nothing.
update home_care_returns as r
set superseded_at = $loaded_at, superseded_by_batch = n.batch_id
from (
    select location_id, period, arg_min(batch_id, file_no) as batch_id
    from stage_loaded
    where (location_id, period) in (
        select location_id, period from home_care_returns where superseded_at is null
    )
    group by location_id, period
) as n
where r.superseded_at is null
  and r.location_id = n.location_id
  and r.period = n.period
