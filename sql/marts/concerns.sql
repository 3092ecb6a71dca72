-- The council's provider concerns, as casework was when the warehouse was last opened by a job.
-- Grain: one row per concern.
-- mart.risk_history reads this view by its bare name, `concerns`: the app binds the live casework
-- file's table over that name on its read-only connections (queries/serving.py).
select * from casework_mirror.concerns
