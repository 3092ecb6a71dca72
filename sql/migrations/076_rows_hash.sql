-- The hash of a file's rows as read (its contract cells, whatever the file's encoding, line endings
-- or column order): a file whose rows were loaded before is recognised as already loaded even when
-- its bytes differ (ingest/tabular.py). Null for loads of other sources and loads before this.
alter table ingest_batches add column rows_hash varchar;
