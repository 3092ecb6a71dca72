-- params: location_id, rag, reason, expires_on, by
insert into rag_overrides (location_id, rag, reason, expires_on, created_by)
values ($location_id, $rag, $reason, $expires_on, $by)
returning override_id
