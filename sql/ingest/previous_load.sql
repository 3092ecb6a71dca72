-- The earlier successful load of exactly these bytes of one dataset, if any (ingest/batch.py).
-- params: d, h
select batch_id, rows_read, rows_loaded, rows_quarantined, ratings_set_aside
from ingest_batches
where dataset = $d
  and content_hash = $h
  and status = 'loaded'
order by started_at
limit 1
