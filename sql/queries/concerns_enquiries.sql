-- The safeguarding enquiries linked to these concerns (reference and date only), newest first.
-- params: concern_ids
select cast(enquiry_id as varchar) as enquiry_id, cast(concern_id as varchar) as concern_id,
       reference, enquiry_date, recorded_by
from concern_enquiries
where list_contains($concern_ids, cast(concern_id as varchar))
order by enquiry_date desc, created_at desc
