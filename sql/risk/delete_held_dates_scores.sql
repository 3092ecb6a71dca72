-- Delete the stored scores of the dates the run re-scores.
delete from main.risk_scores
where as_of in (select distinct as_of from held_scores)
