-- Risk flags raised by the latest score dated in the week that the latest score before the week did
-- not raise, with their evidence. Same first-run rule as risk_entered.sql.
-- params: week_start, week_end
with this_week as (
    select location_id, max(as_of) as as_of
    from main.risk_scores
    where as_of between $week_start and $week_end
    group by location_id
),

before_week as (
    select location_id, max(as_of) as as_of
    from main.risk_scores
    where as_of < $week_start
    group by location_id
),

scored_before as (
    select count(*) > 0 as any_before
    from main.risk_scores
    where as_of < $week_start
),

current_flags as (
    select f.*
    from mart.risk_flags as f
    join this_week as w using (location_id, as_of)
),

previous_flags as (
    select f.location_id, f.flag
    from mart.risk_flags as f
    join before_week as b using (location_id, as_of)
),

final as (
    select
        c.location_id,
        c.as_of,
        c.flag,
        c.domain,
        c.points,
        c.value,
        c.threshold,
        cast(c.evidence as varchar) as evidence,
        c.message
    from current_flags as c
    cross join scored_before as s
    anti join previous_flags as p using (location_id, flag)
    where s.any_before
)

select * from final
order by location_id, points desc, flag
