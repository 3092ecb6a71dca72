-- The meetings of these concerns, newest first.
-- params: concern_ids
select cast(meeting_id as varchar) as meeting_id, cast(concern_id as varchar) as concern_id,
       meeting_date, attendees, decisions, recorded_by
from concern_meetings
where list_contains($concern_ids, cast(concern_id as varchar))
order by meeting_date desc, created_at desc
