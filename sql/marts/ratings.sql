with observed as (
    select location_id, report_date, key_question
    from main.cqc_rating_observed
),

final as (
    select
        r.location_id,
        r.report_date,
        r.key_question,
        r.rating,
        r.report_link,
        case when o.location_id is null then 'report' else 'observed' end as date_basis
    from main.cqc_ratings as r
    left join observed as o using (location_id, report_date, key_question)
)

select * from final
