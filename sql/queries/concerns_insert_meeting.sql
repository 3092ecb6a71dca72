-- params: concern_id, meeting_date, attendees, decisions, recorded_by
insert into concern_meetings (concern_id, meeting_date, attendees, decisions, recorded_by)
values (cast($concern_id as uuid), $meeting_date, $attendees, $decisions, $recorded_by)
returning cast(meeting_id as varchar)
