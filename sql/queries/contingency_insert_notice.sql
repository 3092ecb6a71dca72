-- params: provider_id, notice_on, kind, note, recorded_by
insert into oversight_notices (provider_id, notice_on, kind, note, recorded_by)
values ($provider_id, $notice_on, $kind, $note, $recorded_by)
returning cast(notice_id as varchar)
