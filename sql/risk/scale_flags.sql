-- Each flag's points as stored: likelihood flags (quality, sustainability) and impact flags are each
-- capped at $cap in total; above the cap every flag of that scale is scaled down in proportion, so
-- the stored points still add up to the score. Points are rounded to 2 decimal places.
-- Grain: one row per location and flag.
with totals as (
    -- read stage_flags twice rather than through a shared CTE: materialising every flag's evidence
    -- once more cost more than the second scan
    select
        location_id,
        domain = 'impact' as is_impact,
        sum(points) as raw_total
    from stage_flags
    group by location_id, domain = 'impact'
),

final as (
    select
        f.location_id,
        f.flag,
        f.domain,
        round(f.points * case when t.raw_total > $cap then $cap / t.raw_total else 1.0 end, 2) as points,
        f.points as raw_points,
        f.value,
        f.threshold,
        f.evidence,
        f.message
    from stage_flags as f
    join totals as t
        on t.location_id = f.location_id
       and t.is_impact = (f.domain = 'impact')
)

select * from final
