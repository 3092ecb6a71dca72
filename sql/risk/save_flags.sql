-- Store the held flags of every date of the run (the caller deletes those dates first, in the same
-- transaction).
insert into main.risk_flags (as_of, location_id, flag, domain, points, value, threshold, evidence, message)
select as_of, location_id, flag, domain, points, value, threshold, evidence, message
from held_flags
