-- The other locations of the same provider, with their RAG and rating.
select
    l.location_id, l.location_name, l.service_kind, l.local_authority, l.is_active,
    l.latest_overall_rating, c.rag
from mart.locations as l
left join mart.risk_current as c using (location_id)
where l.provider_id = $provider_id
  and l.location_id <> $location_id
order by l.is_active desc, l.location_name
