-- The people supported by each home-care location of one provider, in its latest return.
-- Grain: one row per home-care location of the provider with a return.
with final as (
    select location_id, arg_max(people_supported, period) as people_supported
    from mart.home_care_returns
    where provider_id = $provider_id
    group by location_id
)

select * from final
