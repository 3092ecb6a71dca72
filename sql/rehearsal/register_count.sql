-- What the register knows of a rehearsal's ID: its name, how many locations carry it, how many are
-- registered, and how many of those are neither care homes nor home care (not rehearsed).
-- Grain: one row.
-- params: scope, id
with matched as (
    select location_id, location_name, provider_name, brand_name, is_active, service_kind
    from mart.register
    where in_scope($scope, $id, location_id, provider_id, brand_id)   -- migration 096
),

final as (
    select
        case $scope
            when 'location' then any_value(location_name)
            when 'provider' then any_value(provider_name)
            when 'brand' then any_value(brand_name)
        end as name,
        count(*) as locations,
        count(*) filter (where is_active) as registered,
        count(*) filter (where is_active and service_kind not in ('care_home', 'home_care')) as other_services
    from matched
)

select * from final
