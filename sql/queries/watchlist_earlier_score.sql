-- The score the watchlist's "new this week" compares with: the latest as-of date at least seven
-- days before the latest one (null when there is none).
select max(as_of) as as_of
from main.risk_scores
where as_of <= (select max(as_of) from main.risk_scores) - interval 7 day
