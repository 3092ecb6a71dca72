-- A new override replaces the location's active one: withdraw it, saying who did.
-- params: by, location_id
update rag_overrides
set withdrawn_by = $by, withdrawn_at = current_timestamp
where location_id = $location_id and withdrawn_at is null
returning cast(override_id as varchar)
