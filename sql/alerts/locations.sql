-- Who and where, for the locations named in a week's changes, with the RAG in force at the latest
-- score on or before the week's end (the e-mail orders its items by it) and the first casework
-- action still open at the week's end.
-- Grain: one row per location named.
-- params: week_end, location_ids
with score_date as (
    select max(as_of) as as_of
    from main.risk_scores
    where as_of <= $week_end
),

risk as (
    select h.location_id, h.rag, h.likelihood, h.impact
    from mart.risk_history as h
    join score_date using (as_of)
    where list_contains($location_ids, h.location_id)
),

open_actions as (
    select location_id, title, owner, due_date
    from casework_mirror.actions
    where list_contains($location_ids, location_id)
      and cast(created_at as date) <= $week_end
      and (status = 'open' or (updated_at is not null and cast(updated_at as date) > $week_end))
    qualify row_number() over (partition by location_id order by due_date nulls last, title) = 1
),

final as (
    select
        l.location_id,
        l.location_name,
        l.provider_id,
        l.provider_name,
        l.service_kind,
        l.local_authority,
        r.rag,
        r.likelihood,
        r.impact,
        a.title as action_title,
        a.owner as action_owner,
        a.due_date as action_due
    from mart.locations as l
    left join risk as r using (location_id)
    left join open_actions as a using (location_id)
    where list_contains($location_ids, l.location_id)
)

select * from final
