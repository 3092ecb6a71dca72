-- Impact may be not known (null): a home-care service without returns, or a care home with no beds
-- on the register and no return, has no size to measure its impact by (sql/risk/stage_impact_size.sql).
-- It was stored as 0 before, which read as "no impact". Scores stored before this migration keep
-- their 0; re-scoring a date stores null for those locations.
alter table risk_scores alter column impact drop not null;
