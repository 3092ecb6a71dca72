-- params: location_id, visit_date, rating, summary, assessor
insert into quality_assessments (location_id, visit_date, rating, summary, assessor)
values ($location_id, $visit_date, $rating, $summary, $assessor)
returning cast(assessment_id as varchar)
