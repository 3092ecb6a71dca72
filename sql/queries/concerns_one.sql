-- One concern with its stage now (the last one entered): for checks before a write.
-- params: concern_id
with latest_stage as (
    select concern_id, stage, entered_on
    from concern_stages
    where cast(concern_id as varchar) = $concern_id
    qualify row_number() over (partition by concern_id order by entered_on desc, created_at desc) = 1
),

final as (
    select
        cast(c.concern_id as varchar) as concern_id,
        coalesce(c.location_id, c.provider_id) as target,
        c.opened_on,
        c.closed_on,
        s.stage,
        s.entered_on as stage_since
    from concerns as c
    left join latest_stage as s using (concern_id)
    where cast(c.concern_id as varchar) = $concern_id
)

select * from final
