-- Every load, newest first, with its data-contract result.
-- params: limit
select batch_id, dataset, source, status, rows_read, rows_loaded, rows_quarantined, ratings_set_aside,
       snapshot_date, started_at, finished_at, validation, message
from mart.ingest_batches
order by started_at desc
limit $limit
