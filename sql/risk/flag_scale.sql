-- The factor each flag's points are multiplied by: likelihood flags (quality, sustainability) and
-- impact flags are each capped at $cap in total; above the cap every flag of that scale is scaled
-- down in proportion, so the stored points still add up to the score (scale_flags.sql applies it).
-- Grain: one row per location and scale (likelihood or impact).
-- params: cap
select
    location_id,
    domain = 'impact' as is_impact,
    case when sum(points) > $cap then $cap / sum(points) else 1.0 end as factor
from stage_flags
group by location_id, domain = 'impact'
