-- The standing position on a day: every location red or amber at the latest score on or before
-- $as_at (the RAG in force, from mart.risk_history), with who and where.
-- Grain: one row per location red or amber at that score.
-- params: as_at
with score_date as (
    select max(as_of) as as_of
    from main.risk_scores
    where as_of <= $as_at
),

final as (
    select
        h.location_id,
        h.as_of,
        h.rag,
        h.likelihood,
        h.impact,
        l.location_name,
        l.provider_id,
        l.provider_name,
        l.service_kind,
        l.local_authority
    from mart.risk_history as h
    join score_date using (as_of)
    left join mart.locations as l using (location_id)
    where h.rag in ('red', 'amber')
)

select * from final
order by rag desc, likelihood desc, impact desc nulls last, location_id
