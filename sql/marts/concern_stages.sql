-- The stages the council's provider concerns entered, as casework was when the warehouse was last
-- opened by a job.
-- Grain: one row per stage entered.
-- mart.risk_history reads this view by its bare name, `concern_stages` (see mart.concerns).
select * from casework_mirror.concern_stages
