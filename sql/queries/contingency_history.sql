-- Every review of one provider's contingency plan, newest first (the casework file, live).
-- Grain: one row per review recorded.
-- params: provider_id
with final as (
    select
        cast(plan_id as varchar) as plan_id,
        plan_held,
        owner,
        reviewed_on,
        next_review_on,
        note,
        recorded_by,
        created_at
    from contingency_plans
    where provider_id = $provider_id
)

select * from final
order by created_at desc
