-- One location, with its provider, its latest overall rating and its latest score.
-- params: location_id
with located as (
    select * from mart.register where location_id = $location_id
),

latest_overall as (
    select arg_max(rating, report_date) as latest_overall_rating, max(report_date) as latest_rating_date
    from mart.ratings
    where location_id = $location_id and key_question = 'overall'
),

final as (
    select
        l.*,
        r.latest_overall_rating,
        r.latest_rating_date,
        c.as_of as scored_on,
        c.rag,
        c.computed_rag,
        c.override_rag,
        c.suspended,
        c.stages_in_force,
        c.likelihood,
        c.impact,
        c.override_by,
        c.override_reason,
        c.override_expires_on
    from located as l
    cross join latest_overall as r
    left join mart.risk_current as c using (location_id)
)

select * from final
