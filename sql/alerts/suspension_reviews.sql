-- Placement suspensions whose review date falls in the week and that are still in force at its end
-- (casework as of the last warehouse open).
-- Grain: one row per suspension.
-- params: week_start, week_end
with final as (
    select
        location_id,
        review_on,
        imposed_on,
        coalesce(scope, 'full') as scope,
        categories,
        imposed_by
    from casework_mirror.placement_suspensions
    where review_on between $week_start and $week_end
      and imposed_on <= $week_end
      and (lifted_on is null or lifted_on > $week_end)
)

select * from final
order by review_on, location_id
