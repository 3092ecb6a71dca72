with final as (
    select
        q.batch_id,
        q.dataset,
        b.source,
        q.row_number,
        q.location_id,
        coalesce(q.provider_id, l.provider_id) as provider_id,
        q.raw,
        q.rules,
        q.messages
    from main.quarantine as q
    left join main.ingest_batches as b using (batch_id)
    left join main.cqc_locations as l using (location_id)
)

select * from final
