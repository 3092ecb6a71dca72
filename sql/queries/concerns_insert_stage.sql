-- params: concern_id, stage, entered_on, reason, recorded_by
insert into concern_stages (concern_id, stage, entered_on, reason, recorded_by)
values (cast($concern_id as uuid), $stage, $entered_on, $reason, $recorded_by)
returning cast(stage_id as varchar)
