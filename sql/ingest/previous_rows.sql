-- Earlier successful loads of the same rows (ingest_batches.rows_hash: the same contract cells,
-- whatever the file's bytes), oldest first.
-- params: hashes
select rows_hash, dataset, batch_id, rows_read, rows_loaded, rows_quarantined
from ingest_batches
where status = 'loaded'
  and list_contains($hashes, rows_hash)
order by started_at
