-- Demo council quality assessments, from the frame registered as demo_assessments.
insert into quality_assessments (assessment_id, location_id, visit_date, rating, summary, assessor,
                                 created_at)
select assessment_id, location_id, visit_date, rating, summary, 'demo', created_at
from demo_assessments;
