-- Demo linked safeguarding enquiries (reference and date only), from demo_concern_enquiries.
insert into concern_enquiries (enquiry_id, concern_id, reference, enquiry_date, recorded_by, created_at)
select enquiry_id, concern_id, reference, enquiry_date, 'demo', created_at
from demo_concern_enquiries;
