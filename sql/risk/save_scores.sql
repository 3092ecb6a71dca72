-- Store the staged scores of one as-of date (the caller deletes that date first).
insert into main.risk_scores (as_of, location_id, likelihood, impact, computed_rag, flags, overall_rating,
                             thresholds_hash, scored_at, red_floors, amber_floors)
select $as_of, location_id, likelihood, impact, computed_rag, flags, overall_rating, $hash, $scored_at,
       $red_floors, $amber_floors
from stage_scores
