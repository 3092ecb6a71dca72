-- Locations ranked by risk at the latest score, with a marker for those newly red or amber this
-- week (green, or not scored, at the latest score at least seven days earlier). Its flags come
-- apart: causes (quality and sustainability, adding to likelihood) and impact items, each largest first
-- (serving.location_latest, made when the serving copy is published: listing them here took most of
-- the page's time on the national demo).
-- stages_in_force: the provider-concerns stages in force (the page names the gravest).
-- The score's own list of flags (risk_scores.flags) is not carried: the page shows causes and
-- impacts, and that list column took a third of the query's time on the national demo.
-- contingency_*: the provider's contingency register (mart.contingency_register: an overdue plan
-- review, the latest CQC Market Oversight notice).
-- Grain: one row per location scored at the latest as-of date.
-- params: earlier_on, local_authority, icb_name, service_kind, rags, search, rag_order
with current_score as (
    select * from mart.risk_current
),

earlier as (
    -- $earlier_on: watchlist_earlier_score.sql, bound as a value so that only that date is read
    select location_id, rag from mart.risk_history where as_of = $earlier_on
),

ranked as (
    select
        c.location_id,
        l.location_name,
        l.provider_name,
        l.provider_id,
        l.service_kind,
        l.local_authority,
        l.icb_name,
        l.beds,
        c.overall_rating as latest_overall_rating,
        c.rag,
        c.computed_rag,
        c.override_rag,
        c.suspended,
        c.stages_in_force,
        c.likelihood,
        c.impact,
        coalesce(d.causes, []) as causes,
        coalesce(d.impacts, []) as impacts,
        coalesce(k.review_overdue, false) as contingency_overdue,
        k.next_review_on as contingency_due_on,
        k.last_notice_kind as oversight_notice_kind,
        k.last_notice_on as oversight_notice_on,
        c.as_of,
        $earlier_on is not null
            and c.rag in ('red', 'amber')
            and coalesce(e.rag, 'green') = 'green' as new_this_week
    from current_score as c
    join mart.register as l using (location_id)
    left join earlier as e using (location_id)
    left join serving.location_latest as d using (location_id)
    left join mart.contingency_register as k on k.provider_id = l.provider_id
    where in_market_filter(l.local_authority, l.icb_name, l.service_kind,
                           $local_authority, $icb_name, $service_kind)
      and list_contains($rags, c.rag)
      and ($search is null or l.location_name ilike '%' || $search || '%'
           or l.provider_name ilike '%' || $search || '%' or c.location_id = $search)
),

final as (
    select * from ranked
    order by list_position($rag_order, rag),  -- vocab.RAG: red, amber, green
             likelihood * impact desc nulls last,  -- impact not known: last of its RAG
             likelihood desc, location_name
)

select * from final
