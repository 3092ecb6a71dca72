-- Reviews of providers' contingency plans, as casework was when the warehouse was last opened by a job.
-- Grain: one row per review recorded.
-- mart.contingency_register reads this view by its bare name, `contingency_plans`: the app binds the
-- live casework file's table over that name on its read-only connections (queries/serving.py), so a
-- review recorded shows on the watchlist on the next render.
select * from casework_mirror.contingency_plans
