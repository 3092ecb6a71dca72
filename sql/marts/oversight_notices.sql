-- CQC Market Oversight notices recorded against providers (Care Act 2014 s.55-56), as casework was
-- when the warehouse was last opened by a job.
-- Grain: one row per notice.
-- Read by its bare name, `oversight_notices`, as mart.contingency_plans is (queries/serving.py).
select * from casework_mirror.oversight_notices
