-- params: closed_on, close_reason, closed_by, concern_id
update concerns
set closed_on = $closed_on, close_reason = $close_reason, closed_by = $closed_by
where cast(concern_id as varchar) = $concern_id
  and closed_on is null
returning coalesce(location_id, provider_id)
