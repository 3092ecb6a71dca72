-- serving.location_latest (migration 106): each location's latest CQC overall rating, and the flags
-- raised at the latest score, causes apart from impact items, each largest first.
-- Grain: one row per location with an overall rating or a flag at the latest score.
with latest_overall as (
    select location_id, arg_max(rating, report_date) as latest_overall_rating
    from mart.ratings
    where key_question = 'overall'
    group by location_id
),

latest_score as (
    select max(as_of) as as_of
    from main.risk_scores
),

flags as (
    select
        f.location_id,
        list(f.flag order by f.points desc, f.flag) filter (where f.domain <> 'impact') as causes,
        list(f.flag order by f.points desc, f.flag) filter (where f.domain = 'impact') as impacts
    from mart.risk_flags as f
    join latest_score using (as_of)
    group by f.location_id
),

final as (
    select
        location_id,
        r.latest_overall_rating,
        f.causes,
        f.impacts
    from latest_overall as r
    full join flags as f using (location_id)
)

select * from final
