with final as (
    select
        batch_id,
        dataset,
        source,
        content_hash,
        rows_hash,
        status,
        rows_read,
        rows_loaded,
        rows_quarantined,
        ratings_set_aside,
        snapshot_date,
        started_at,
        finished_at,
        validation,
        message
    from main.ingest_batches
)

select * from final
