-- params: concern_id, reference, enquiry_date, recorded_by
insert into concern_enquiries (concern_id, reference, enquiry_date, recorded_by)
values (cast($concern_id as uuid), $reference, $enquiry_date, $recorded_by)
returning cast(enquiry_id as varchar)
