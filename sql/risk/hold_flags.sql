-- The staged flags of one as-of date, held (in memory) until every date of the run is scored.
-- Grain: one row per location, as-of date and flag raised.
-- params: as_of
select $as_of as as_of, location_id, flag, domain, points, value, threshold, evidence, message
from stage_scaled_flags
