-- The people supported by each home-care location of one group (a provider or a CQC brand: $scope
-- is provider or brand, $id its CQC ID), in its latest return.
-- Grain: one row per home-care location of the group with a return.
with located as (
    select location_id
    from mart.register
    where in_scope($scope, $id, location_id, provider_id, brand_id)   -- migration 096
),

final as (
    select location_id, arg_max(people_supported, period) as people_supported
    from mart.home_care_returns
    where location_id in (select location_id from located)
    group by location_id
)

select * from final
