-- Dated ratings (date_basis 'report'): added when absent, never replaced; a link is filled in
-- when an earlier load lacked one.
insert into cqc_ratings (location_id, report_date, key_question, rating, report_link, batch_id)
select location_id, report_date, key_question, rating, report_link, batch_id
from staged_cqc_ratings
where date_basis = 'report'
on conflict (location_id, report_date, key_question) do update set
    report_link = coalesce(cqc_ratings.report_link, excluded.report_link)
where cqc_ratings.report_link is null and excluded.report_link is not null
