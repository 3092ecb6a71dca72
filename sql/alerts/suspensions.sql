-- Placement suspensions imposed or lifted in the week (casework as of the last warehouse open).
-- params: week_start, week_end
with imposed as (
    select location_id, 'imposed' as change, imposed_on as event_date, reason, imposed_by as by_whom,
           coalesce(scope, 'full') as scope, categories, review_on
    from casework_mirror.placement_suspensions
    where imposed_on between $week_start and $week_end
),

lifted as (
    select location_id, 'lifted' as change, lifted_on as event_date, lift_reason as reason,
           lifted_by as by_whom, coalesce(scope, 'full') as scope, categories, review_on
    from casework_mirror.placement_suspensions
    where lifted_on between $week_start and $week_end
),

final as (
    select location_id, change, event_date, reason, by_whom, scope, categories, review_on from imposed
    union all
    select location_id, change, event_date, reason, by_whom, scope, categories, review_on from lifted
)

select * from final
order by event_date, location_id
