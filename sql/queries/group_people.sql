-- The people supported by each home-care location of one group (a provider or a CQC brand), in its
-- latest return. $location_ids: the group's locations (group_locations.sql found them). Bound as a
-- list of values, DuckDB filters mart.home_care_returns's every step by them before its joins; a
-- subquery of the register instead (`in (select ...)`) left it reading every return of the market
-- first (1.5 million rows, about half a second, on the national demo).
-- Grain: one row per home-care location of the group with a return.
-- params: location_ids
with final as (
    select location_id, arg_max(people_supported, period) as people_supported
    from mart.home_care_returns
    where list_contains($location_ids, location_id)
    group by location_id
)

select * from final
