-- The contingency register's rows for some providers ($provider_ids).
-- Grain: one row per provider with a plan review or a notice recorded.
-- params: provider_ids
with final as (
    select *
    from mart.contingency_register
    where list_contains($provider_ids, provider_id)
)

select * from final
order by provider_id
