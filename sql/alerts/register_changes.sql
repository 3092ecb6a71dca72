-- New registrations and deregistrations (closures) dated in the week.
-- params: week_start, week_end
with registered as (
    select location_id, 'registered' as change, registration_date as event_date
    from mart.locations
    where registration_date between $week_start and $week_end
),

deregistered as (
    select location_id, 'deregistered' as change, deregistration_date as event_date
    from mart.locations
    where deregistration_date between $week_start and $week_end
),

final as (
    select location_id, change, event_date from registered
    union all
    select location_id, change, event_date from deregistered
)

select * from final
order by event_date, location_id
