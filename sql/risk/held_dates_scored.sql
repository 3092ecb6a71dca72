-- How many stored scores the run's dates already have (re-scoring replaces them).
select count(*) as stored
from main.risk_scores
where as_of in (select distinct as_of from held_scores)
