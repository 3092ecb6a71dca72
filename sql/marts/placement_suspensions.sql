-- The council's placement suspensions, as casework was when the warehouse was last opened by a job.
-- Grain: one row per suspension.
-- mart.risk_history reads this view by its bare name, `placement_suspensions`: the app binds the
-- live casework file's table over that name on its read-only connections (queries/serving.py).
select * from casework_mirror.placement_suspensions
