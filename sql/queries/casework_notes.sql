-- Notes, newest first, for one location or (null) every location.
-- params: location_id, limit
select cast(note_id as varchar) as note_id, location_id, body, author, created_at
from notes
where $location_id is null or location_id = $location_id
order by created_at desc
limit $limit
