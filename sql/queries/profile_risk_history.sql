-- One location's stored scores over time.
-- params: location_id
select as_of, likelihood, impact, rag
from mart.risk_history
where location_id = $location_id
order by as_of
