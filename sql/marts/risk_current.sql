-- The RAG in force now: mart.risk_history at the latest as-of date (the one definition of overrides
-- and suspensions in force lives there).
-- Grain: one row per location scored at the latest as-of date.
with latest as (
    select max(as_of) as as_of
    from main.risk_scores
),

final as (
    select h.*
    from mart.risk_history as h
    join latest using (as_of)
)

select * from final
