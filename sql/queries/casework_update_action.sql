-- params: status, updated_by, action_id
update actions
set status = $status, updated_by = $updated_by, updated_at = current_timestamp
where cast(action_id as varchar) = $action_id
returning location_id
