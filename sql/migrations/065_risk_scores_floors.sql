-- Each score keeps the hard floors it was computed with ([rag] red_floors in thresholds.toml), so
-- that mart.risk_history can apply a placement suspension made after the score the way the score
-- would have (red only where the placement_suspension floor is on). Scores stored before this
-- migration have none recorded: for them only the RAG computed at scoring time counts.
alter table risk_scores add column red_floors varchar[];
