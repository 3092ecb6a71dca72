-- Quarantined rows of one provider: named in the row, or the provider of the row's location in
-- the register. Newest load first, then in file order.
-- params: provider_id
with final as (
    select
        b.source,
        q.dataset,
        q.row_number,
        q.location_id,
        q.rules,
        q.messages,
        q.raw,
        b.started_at
    from main.quarantine as q
    join main.ingest_batches as b using (batch_id)
    left join main.cqc_locations as l using (location_id)
    where coalesce(q.provider_id, l.provider_id) = $provider_id
)

select source, dataset, row_number, location_id, rules, messages, raw
from final
order by started_at desc, source, row_number
