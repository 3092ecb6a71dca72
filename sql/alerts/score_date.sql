-- The latest score date on or before $as_at (null: nothing scored by then).
-- params: as_at
select max(as_of) as as_of
from main.risk_scores
where as_of <= $as_at
