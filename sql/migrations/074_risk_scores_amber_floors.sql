-- Each score keeps the floors that make a location at least amber ([rag] amber_floors in
-- thresholds.toml: a provider concern at enhanced monitoring), as it keeps its red floors (065), so
-- that mart.risk_history applies a concern opened after the score the way the score's thresholds
-- say. Scores stored before this migration have none: a concern does not floor them.
alter table risk_scores add column amber_floors varchar[];
