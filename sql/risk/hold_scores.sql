-- The staged scores of one as-of date, held (in memory) until every date of the run is scored.
-- Grain: one row per location and as-of date.
-- params: as_of, hash, scored_at, red_floors, amber_floors
select $as_of as as_of, location_id, likelihood, impact, computed_rag, flags, overall_rating,
       $hash as thresholds_hash, $scored_at as scored_at, $red_floors as red_floors,
       $amber_floors as amber_floors
from stage_scores
