-- RAG overrides, newest first, with whether each is in force today.
-- params: today, location_id
select cast(override_id as varchar) as override_id, location_id, rag, reason, expires_on,
       created_by, created_at, withdrawn_by, withdrawn_at,
       withdrawn_at is null and expires_on >= $today as is_active
from rag_overrides
where ($location_id is null or location_id = $location_id)
order by created_at desc
