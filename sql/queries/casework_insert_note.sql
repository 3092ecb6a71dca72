-- params: location_id, body, author
insert into notes (location_id, body, author)
values ($location_id, $body, $author)
returning cast(note_id as varchar)
