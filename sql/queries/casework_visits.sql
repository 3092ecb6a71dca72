-- The council's quality visits, newest first.
-- params: location_id, limit
select cast(assessment_id as varchar) as assessment_id, location_id, visit_date, rating, summary,
       assessor, created_at
from quality_assessments
where $location_id is null or location_id = $location_id
order by visit_date desc, created_at desc
limit $limit
