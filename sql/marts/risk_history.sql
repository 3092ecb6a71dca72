with overrides_in_force as (
    -- an override counts at an as-of date if made by then, not yet expired, and not withdrawn by then
    select
        s.as_of,
        s.location_id,
        o.rag as override_rag,
        o.reason as override_reason,
        o.created_by as override_by,
        o.created_at as override_at,
        o.expires_on as override_expires_on
    from main.risk_scores as s
    join casework_mirror.rag_overrides as o
        on o.location_id = s.location_id
       and cast(o.created_at as date) <= s.as_of
       and o.expires_on >= s.as_of
       and (o.withdrawn_at is null or cast(o.withdrawn_at as date) > s.as_of)
    qualify row_number() over (partition by s.as_of, s.location_id order by o.created_at desc) = 1
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
    from main.risk_scores as s
    left join overrides_in_force as o using (as_of, location_id)
)

select * from final
