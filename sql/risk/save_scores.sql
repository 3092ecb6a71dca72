-- Store the held scores of every date of the run (the caller deletes those dates first, in the same
-- transaction).
insert into main.risk_scores (as_of, location_id, likelihood, impact, computed_rag, flags, overall_rating,
                             thresholds_hash, scored_at, red_floors, amber_floors)
select as_of, location_id, likelihood, impact, computed_rag, flags, overall_rating, thresholds_hash,
       scored_at, red_floors, amber_floors
from held_scores
