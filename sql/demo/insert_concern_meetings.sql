-- Demo concern meetings, from the frame registered as demo_concern_meetings.
insert into concern_meetings (meeting_id, concern_id, meeting_date, attendees, decisions, recorded_by,
                              created_at)
select meeting_id, concern_id, meeting_date, attendees, decisions, 'demo', created_at
from demo_concern_meetings;
