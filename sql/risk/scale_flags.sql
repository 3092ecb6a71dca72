-- Each flag's points as stored: likelihood flags (quality, sustainability) and impact flags are each
-- capped at $cap in total; above the cap every flag of that scale is scaled down in proportion, so
-- the stored points still add up to the score. Points are rounded to 2 decimal places.
-- Grain: one row per location and flag.
with raw as (
    select
        *,
        case when domain = 'impact' then 'impact' else 'likelihood' end as scale
    from stage_flags
),

totals as (
    select location_id, scale, sum(points) as raw_total
    from raw
    group by location_id, scale
),

final as (
    select
        r.location_id,
        r.flag,
        r.domain,
        round(r.points * case when t.raw_total > $cap then $cap / t.raw_total else 1.0 end, 2) as points,
        r.points as raw_points,
        r.value,
        r.threshold,
        r.evidence,
        r.message
    from raw as r
    join totals as t using (location_id, scale)
)

select * from final
