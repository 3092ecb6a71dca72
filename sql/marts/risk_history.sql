-- The RAG in force: THE one definition (mart.risk_current is this view at the latest as-of date).
-- Grain: one row per location and as-of date scored.
-- rag = the override in force, else red where a hard floor holds (a placement suspension in force,
-- of any scope, where the score's red_floors include placement_suspension; a provider concern at a
-- stage the score's red_floors name), else at least amber where an open concern's stage is among
-- the score's amber_floors, else the RAG computed at scoring.
-- Casework is judged on the as-of date, except for the latest score, which stands until the next
-- scoring: its casework is judged today (so an override made or withdrawn since shows at once).
-- An override is in force on a day if made by then, not expired, and not withdrawn by then; a
-- suspension if imposed by then and not yet lifted; a concern if opened by then and not yet closed,
-- at the last stage it entered by then, for its location or every location of its provider.
-- `rag_overrides`, `placement_suspensions`, `concerns` and `concern_stages` are named bare on
-- purpose: see mart.rag_overrides.
with dates as (
    select
        as_of,
        case when as_of = max(as_of) over () then greatest(as_of, current_date) else as_of end
            as judged_on
    from (select distinct as_of from main.risk_scores)
),

overrides_in_force as (
    select
        d.as_of,
        o.location_id,
        o.rag as override_rag,
        o.reason as override_reason,
        o.created_by as override_by,
        o.created_at as override_at,
        o.expires_on as override_expires_on
    from dates as d
    join rag_overrides as o
        on cast(o.created_at as date) <= d.judged_on
       and o.expires_on >= d.judged_on
       and (o.withdrawn_at is null or cast(o.withdrawn_at as date) > d.judged_on)
    qualify row_number() over (partition by d.as_of, o.location_id order by o.created_at desc) = 1
),

suspensions_in_force as (
    select distinct d.as_of, p.location_id
    from dates as d
    join placement_suspensions as p
        on p.imposed_on <= d.judged_on
       and (p.lifted_on is null or p.lifted_on > d.judged_on)
),

stage_on_day as (
    select d.as_of, c.location_id, c.provider_id, s.stage
    from dates as d
    join concerns as c
        on c.opened_on <= d.judged_on
       and (c.closed_on is null or c.closed_on > d.judged_on)
    join concern_stages as s
        on s.concern_id = c.concern_id
       and s.entered_on <= d.judged_on
    qualify row_number() over (partition by d.as_of, c.concern_id
                               order by s.entered_on desc, s.created_at desc) = 1
),

concerns_in_force as (
    select st.as_of, l.location_id, list_sort(list_distinct(list(st.stage))) as stages_in_force
    from stage_on_day as st
    join main.cqc_locations as l
        on l.location_id = st.location_id
        or l.provider_id = st.provider_id
    group by st.as_of, l.location_id
),

final as (
    select
        s.location_id,
        s.as_of,
        s.likelihood,
        s.impact,
        coalesce(
            o.override_rag,
            case when p.location_id is not null and list_contains(s.red_floors, 'placement_suspension')
                      then 'red'
                 when list_has_any(s.red_floors, c.stages_in_force) then 'red'
                 when list_has_any(s.amber_floors, c.stages_in_force) and s.computed_rag = 'green'
                      then 'amber' end,
            s.computed_rag) as rag,
        s.computed_rag,
        o.override_rag,
        p.location_id is not null as suspended,
        coalesce(c.stages_in_force, []) as stages_in_force,
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
    left join suspensions_in_force as p using (as_of, location_id)
    left join concerns_in_force as c using (as_of, location_id)
)

select * from final
