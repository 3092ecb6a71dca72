-- The concerns about one location or its provider, open first, then newest; with the stage now.
-- Grain: one row per concern.
-- params: location_id, provider_id
with chosen as (
    select *
    from concerns
    where location_id = $location_id
       or provider_id = $provider_id
),

latest_stage as (
    select concern_id, stage, entered_on
    from concern_stages
    where concern_id in (select concern_id from chosen)
    qualify row_number() over (partition by concern_id order by entered_on desc, created_at desc) = 1
),

final as (
    select
        cast(c.concern_id as varchar) as concern_id,
        c.location_id,
        c.provider_id,
        s.stage,
        s.entered_on as stage_since,
        c.opened_on,
        c.lead_officer,
        c.agencies,
        c.opened_by,
        c.closed_on,
        c.close_reason,
        c.closed_by,
        c.closed_on is null as is_open
    from chosen as c
    left join latest_stage as s using (concern_id)
)

select * from final
order by is_open desc, opened_on desc
