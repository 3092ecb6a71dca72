-- Provider-concerns stages entered in the week, for each location concerned (a provider's concern for
-- each of its registered locations), with the stage before (casework as of the last warehouse open).
-- Grain: one row per stage entered and location concerned.
-- params: week_start, week_end
with entered as (
    select
        concern_id,
        stage,
        entered_on,
        reason,
        recorded_by,
        lag(stage) over (partition by concern_id order by entered_on, created_at) as previous_stage
    from casework_mirror.concern_stages
),

final as (
    select
        l.location_id,
        e.stage,
        e.previous_stage,
        e.entered_on as event_date,
        e.reason,
        e.recorded_by as by_whom,
        c.provider_id is not null as about_provider
    from entered as e
    join casework_mirror.concerns as c using (concern_id)
    join main.cqc_locations as l
        on l.location_id = c.location_id
        or (l.provider_id = c.provider_id and l.deregistration_date is null)
    where e.entered_on between $week_start and $week_end
)

select * from final
order by event_date, location_id
