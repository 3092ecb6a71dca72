-- The flags behind one location's latest score, largest first, with their evidence.
-- params: location_id
select flag, domain, points, value, threshold, message, evidence
from mart.risk_flags
where location_id = $location_id
  and as_of = (select max(as_of) from mart.risk_flags where location_id = $location_id)
order by points desc, flag
