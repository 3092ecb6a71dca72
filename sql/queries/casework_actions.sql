-- Actions for one location or (null) every location; open ones first, soonest due first.
-- params: location_id, statuses
select cast(action_id as varchar) as action_id, location_id, title, owner, due_date, status,
       created_by, created_at, updated_by, updated_at
from actions
where ($location_id is null or location_id = $location_id)
  and list_contains($statuses, status)
order by status <> 'open', due_date, created_at
