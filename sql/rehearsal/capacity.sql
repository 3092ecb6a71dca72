-- Every registered care home and home-care agency with its people and room (mart.service_capacity),
-- read once per rehearsal: the services in scope and the destinations are both taken from it
-- (bound on the cursor as `rehearsal_capacity` for in_scope.sql and destinations.sql).
-- Grain: one row per registered care home or home-care agency.
with final as (
    select *
    from mart.service_capacity
)

select * from final
