-- The contingency register: each provider's contingency plan as its latest review left it, whether
-- that review is overdue, and the CQC Market Oversight notices recorded against it.
-- Grain: one row per provider with a plan review or a notice recorded.
-- A review is overdue from the day after its next review is due, until a later review is recorded
-- (the one place this rule is written for pages; sql/alerts/contingency_reviews.sql asks it of a week).
-- `contingency_plans` and `oversight_notices` are named bare on purpose: see mart.contingency_plans.
with latest_review as (
    select *
    from contingency_plans
    qualify row_number() over (partition by provider_id order by created_at desc) = 1
),

reviews as (
    select provider_id, count(*) as reviews_recorded
    from contingency_plans
    group by provider_id
),

notices as (
    select
        provider_id,
        count(*) as notices,
        max(notice_on) as last_notice_on,
        arg_max(kind, struct_pack(notice_on, created_at)) as last_notice_kind,
        arg_max(note, struct_pack(notice_on, created_at)) as last_notice_note
    from oversight_notices
    group by provider_id
),

providers as (
    select provider_id from contingency_plans
    union
    select provider_id from oversight_notices
),

registered as (
    select provider_id, any_value(provider_name) as provider_name, count(*) as registered_locations
    from mart.register
    where is_active
    group by provider_id
),

final as (
    select
        p.provider_id,
        coalesce(c.provider_name, g.provider_name) as provider_name,
        coalesce(g.registered_locations, 0) as registered_locations,
        l.plan_held,
        l.owner as plan_owner,
        l.reviewed_on as last_reviewed_on,
        l.next_review_on,
        coalesce(l.next_review_on < current_date, false) as review_overdue,
        case when l.next_review_on < current_date then current_date - l.next_review_on end
            as days_overdue,
        l.note as review_note,
        l.recorded_by as reviewed_recorded_by,
        coalesce(r.reviews_recorded, 0) as reviews_recorded,
        coalesce(n.notices, 0) as notices,
        n.last_notice_on,
        n.last_notice_kind,
        n.last_notice_note
    from providers as p
    left join latest_review as l using (provider_id)
    left join reviews as r using (provider_id)
    left join notices as n using (provider_id)
    left join registered as g using (provider_id)
    left join main.cqc_providers as c using (provider_id)
)

select * from final
