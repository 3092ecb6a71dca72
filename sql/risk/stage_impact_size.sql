-- The size of each location scored at $as_of, the input every impact measure starts from: registered
-- beds for a care home (the register, else its latest return), people supported for a home-care
-- service (its latest return of the last 3 months with anyone supported). Null when neither is known
-- (a home-care service without returns, a care home with no beds on the register and no return):
-- its impact is then not known, never 0 (scores.sql).
-- Grain: one row per location.
-- reads: stage_locations, stage_return_summary
with final as (
    select
        l.location_id,
        l.service_kind,
        l.local_authority,
        case when l.service_kind = 'care_home' then coalesce(l.beds, s.beds_latest) else s.people_3m end
            as size,
        case when l.service_kind = 'care_home' then 'beds' else 'people supported' end as unit,
        case
            when l.service_kind <> 'care_home' then 'home_care_returns'
            when l.beds is not null then 'cqc_locations beds'
            else 'care_home_returns beds'
        end as source
    from stage_locations as l
    left join stage_return_summary as s using (location_id)
)

select * from final
