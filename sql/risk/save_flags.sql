-- Store the staged flags of one as-of date (the caller deletes that date first).
insert into main.risk_flags (as_of, location_id, flag, domain, points, value, threshold, evidence, message)
select $as_of, location_id, flag, domain, points, value, threshold, evidence, message
from stage_scaled_flags
