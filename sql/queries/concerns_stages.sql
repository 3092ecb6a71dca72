-- Every stage each of these concerns entered, in order.
-- params: concern_ids
select cast(concern_id as varchar) as concern_id, stage, entered_on, reason, recorded_by
from concern_stages
where list_contains($concern_ids, cast(concern_id as varchar))
order by entered_on, created_at
