-- Where one load holds several versions of a return (a file and its resubmission), each version but
-- the last with the batch of the next, which supersedes it; read by insert_<returns dataset>.sql.
-- Only a load of several files can hold several: a key given twice in one file breaks the key's
-- rule, so the versions are looked for only then, and the usual one-file load gives no rows.
-- Grain: one row per file, location and period of a return loaded more than once.
select file_no, location_id, period,
    lead(batch_id) over (partition by location_id, period order by file_no) as next_batch
from stage_loaded
where (select count(*) from staged_batches) > 1
qualify count(*) over (partition by location_id, period) > 1
