-- Mark the undated ratings this batch added (their report_date is the snapshot date).
insert into cqc_rating_observed (location_id, report_date, key_question, batch_id)
select r.location_id, r.report_date, r.key_question, r.batch_id
from main.cqc_ratings as r
inner join staged_cqc_ratings as s
    on s.location_id = r.location_id
    and s.report_date = r.report_date
    and s.key_question = r.key_question
    and s.batch_id = r.batch_id
where s.date_basis = 'observed'
on conflict (location_id, report_date, key_question) do nothing
