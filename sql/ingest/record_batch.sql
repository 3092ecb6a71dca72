-- One load attempt of one source, with its counts (ingest/batch.py record_batch).
-- params: batch_id, dataset, source, hash, status, read, loaded, quarantined, set_aside, snapshot, started, validation, message, rows_hash
insert into ingest_batches (
    batch_id, dataset, source, content_hash, status, rows_read, rows_loaded, rows_quarantined,
    ratings_set_aside, snapshot_date, started_at, finished_at, validation, message, rows_hash
)
values (
    $batch_id, $dataset, $source, $hash, $status, $read, $loaded, $quarantined,
    $set_aside, $snapshot, $started, current_timestamp::timestamp, $validation, $message, $rows_hash
)
