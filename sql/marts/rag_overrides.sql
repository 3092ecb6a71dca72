-- Contract managers' RAG overrides, as casework was when the warehouse was last opened by a job.
-- Grain: one row per override.
-- mart.risk_history reads this view by its bare name, `rag_overrides`: the app binds the live
-- casework file's table over that name on its read-only connections (queries/serving.py), so that an
-- override shows on every page on the next render, not after the next job.
select * from casework_mirror.rag_overrides
