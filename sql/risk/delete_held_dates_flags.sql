-- Delete the stored flags of the dates the run re-scores.
delete from main.risk_flags
where as_of in (select distinct as_of from held_scores)
