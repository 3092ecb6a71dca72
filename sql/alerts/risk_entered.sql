-- Locations whose RAG became red or amber in the week: the latest score dated in the week against
-- the latest score before it. A location with no earlier score counts as green before, but only if
-- the warehouse was scored before the week at all (a first ever scoring run is not "news").
-- params: week_start, week_end
with this_week as (
    select location_id, as_of, rag, likelihood, impact, override_rag, override_reason
    from mart.risk_history
    where as_of between $week_start and $week_end
    qualify row_number() over (partition by location_id order by as_of desc) = 1
),

before_week as (
    select location_id, as_of, rag
    from mart.risk_history
    where as_of < $week_start
    qualify row_number() over (partition by location_id order by as_of desc) = 1
),

scored_before as (
    select count(*) > 0 as any_before
    from main.risk_scores
    where as_of < $week_start
),

final as (
    select
        w.location_id,
        w.as_of,
        w.rag,
        b.rag as previous_rag,
        b.as_of as previous_as_of,
        w.likelihood,
        w.impact,
        w.override_rag,
        w.override_reason
    from this_week as w
    left join before_week as b using (location_id)
    cross join scored_before as s
    where s.any_before
      and (
          (w.rag = 'red' and coalesce(b.rag, 'green') <> 'red')
          or (w.rag = 'amber' and coalesce(b.rag, 'green') = 'green')
      )
)

select * from final
order by location_id
