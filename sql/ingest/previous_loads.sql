-- Earlier successful loads of the given contents (the same bytes are recorded once), oldest first.
-- params: hashes
select content_hash, dataset, batch_id, rows_read, rows_loaded, rows_quarantined
from ingest_batches
where status = 'loaded'
  and list_contains($hashes, content_hash)
order by started_at
