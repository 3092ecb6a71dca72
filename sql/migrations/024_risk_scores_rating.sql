-- Each score keeps the CQC overall rating it was computed with (the latest rated report on or before
-- its as-of date), so pages that list scores need not search the whole ratings history again.
-- Scores stored before this migration get theirs from the ratings table.
alter table risk_scores add column overall_rating varchar;

update risk_scores as s
set overall_rating = r.rating
from (
    select s2.as_of, s2.location_id, arg_max(c.rating, c.report_date) as rating
    from risk_scores as s2
    join cqc_ratings as c
        on c.location_id = s2.location_id
       and c.key_question = 'overall'
       and c.rating <> 'Not rated'
       and c.report_date <= s2.as_of
    group by s2.as_of, s2.location_id
) as r
where r.as_of = s.as_of and r.location_id = s.location_id;
