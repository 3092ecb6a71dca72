-- Every CQC rating of one location, per key question, oldest first.
-- params: location_id
select report_date, key_question, rating, report_link, date_basis
from mart.ratings
where location_id = $location_id
order by report_date, key_question
