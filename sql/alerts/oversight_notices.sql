-- CQC Market Oversight notices (Care Act 2014 s.55-56) dated in the week, for each registered location
-- of the provider they are about (casework as of the last warehouse open).
-- Grain: one row per notice and registered location of its provider.
-- params: week_start, week_end
with final as (
    select
        l.location_id,
        n.provider_id,
        n.notice_on,
        n.kind,
        n.note,
        n.recorded_by
    from casework_mirror.oversight_notices as n
    join main.cqc_locations as l
        on l.provider_id = n.provider_id
       and l.deregistration_date is null
    where n.notice_on between $week_start and $week_end
)

select * from final
order by notice_on, location_id
