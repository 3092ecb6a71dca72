-- The as-of date of the latest stored risk score (null before any scoring).
select max(as_of) as as_of
from main.risk_scores
