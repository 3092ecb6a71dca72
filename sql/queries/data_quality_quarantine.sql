-- Rows set aside by one load (or by every load), optionally for one provider.
-- params: batch_id, provider_id
select q.batch_id, q.dataset, q.source, q.row_number, q.location_id, q.provider_id,
       l.location_name, q.rules, q.messages, q.raw
from mart.quarantine as q
left join mart.register as l using (location_id)
where ($batch_id is null or q.batch_id = $batch_id)
  and ($provider_id is null or q.provider_id = $provider_id)
order by q.batch_id, q.row_number
