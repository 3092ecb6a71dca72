-- Each flag's points as stored: its raw points times its scale's factor (flag_scale.sql), rounded to
-- 2 decimal places. A view over the staged flags (no parameters), read by the scores and the save,
-- so the flags' evidence is not copied once more.
-- Grain: one row per location and flag.
select
    f.location_id,
    f.flag,
    f.domain,
    round(f.points * s.factor, 2) as points,
    f.points as raw_points,
    f.value,
    f.threshold,
    f.evidence,
    f.message
from stage_flags as f
join stage_flag_scale as s
    on s.location_id = f.location_id
   and s.is_impact = (f.domain = 'impact')
