-- Undated ratings (date_basis 'observed', report_date = the source's snapshot date): added only
-- when they differ from the rating already known for that key question at or before that date,
-- so monthly bulk files that repeat an unchanged rating add nothing.
insert into cqc_ratings (location_id, report_date, key_question, rating, report_link, batch_id)
with staged as (
    select location_id, report_date, key_question, rating, report_link, batch_id, date_basis
    from staged_cqc_ratings
    where date_basis = 'observed'
),

known_before as (
    select
        s.location_id,
        s.key_question,
        r.rating as known_rating
    from staged as s
    inner join main.cqc_ratings as r
        on r.location_id = s.location_id
        and r.key_question = s.key_question
        and r.report_date <= s.report_date
    qualify row_number() over (
        partition by s.location_id, s.key_question order by r.report_date desc
    ) = 1
),

final as (
    select s.location_id, s.report_date, s.key_question, s.rating, s.report_link, s.batch_id
    from staged as s
    left join known_before as k using (location_id, key_question)
    where k.known_rating is distinct from s.rating
)
select * from final
on conflict (location_id, report_date, key_question) do nothing
