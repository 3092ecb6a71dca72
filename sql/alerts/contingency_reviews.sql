-- Contingency-plan reviews that became overdue in the week: the latest review recorded by the week's
-- end has its next review due the day before or during the week (so the first overdue day falls in
-- it), for each registered location of the provider (casework as of the last warehouse open).
-- The rule of mart.contingency_register (overdue from the day after the review was due until a later
-- review is recorded), asked of the week's end rather than of today.
-- Grain: one row per provider overdue and registered location of it.
-- params: week_end, week_start
with latest_by_week_end as (
    select provider_id, plan_held, owner, reviewed_on, next_review_on
    from casework_mirror.contingency_plans
    where cast(created_at as date) <= $week_end
    qualify row_number() over (partition by provider_id order by created_at desc) = 1
),

final as (
    select
        l.location_id,
        r.provider_id,
        r.plan_held,
        r.owner,
        r.reviewed_on,
        r.next_review_on
    from latest_by_week_end as r
    join main.cqc_locations as l
        on l.provider_id = r.provider_id
       and l.deregistration_date is null
    where r.next_review_on between $week_start - 1 and $week_end - 1
)

select * from final
order by next_review_on, location_id
