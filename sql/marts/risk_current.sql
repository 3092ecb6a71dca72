with latest as (
    select max(as_of) as as_of
    from main.risk_scores
),

scores as (
    select s.*
    from main.risk_scores as s
    join latest using (as_of)
),

active_overrides as (
    -- active = not withdrawn and not expired at the as-of date
    select
        o.location_id,
        o.rag as override_rag,
        o.reason as override_reason,
        o.created_by as override_by,
        o.created_at as override_at,
        o.expires_on as override_expires_on
    from casework_mirror.rag_overrides as o
    cross join latest
    where o.withdrawn_at is null
      and o.expires_on >= latest.as_of
    qualify row_number() over (partition by o.location_id order by o.created_at desc) = 1
),

final as (
    select
        s.location_id,
        s.as_of,
        s.likelihood,
        s.impact,
        coalesce(o.override_rag, s.computed_rag) as rag,
        s.computed_rag,
        o.override_rag,
        s.flags,
        s.overall_rating,
        o.override_by,
        o.override_at,
        o.override_reason,
        o.override_expires_on,
        s.thresholds_hash,
        s.scored_at
    from scores as s
    left join active_overrides as o using (location_id)
)

select * from final
