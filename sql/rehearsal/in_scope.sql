-- The registered care homes and home-care agencies a rehearsal covers: one location, every location
-- of a provider, or every location of a brand ($scope is location, provider or brand; $id its ID).
-- Read from `rehearsal_capacity` (capacity.sql, bound by market_oversight.rehearsal.plan).
-- Grain: one row per location in scope.
-- params: scope, id
with final as (
    select *
    from rehearsal_capacity
    where in_scope($scope, $id, location_id, provider_id, brand_id)   -- migration 096
)

select * from final
order by local_authority, location_name, location_id
