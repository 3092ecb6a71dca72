-- How many active locations held each overall rating on the as-of date and at the same point of
-- each earlier quarter (`$quarters` points in all). Locations open but never rated count as Not rated.
-- params: as_of, quarters, local_authority, icb_name, service_kind
with months as (
    select cast(cast($as_of as date) - to_months(cast(3 * q as integer)) as date) as month_end
    from range(0, $quarters) as t(q)
),

located as (
    select location_id, registration_date, deregistration_date
    from mart.register
    where in_market_filter(local_authority, icb_name, service_kind, $local_authority, $icb_name, $service_kind)
),

open_at as (
    select m.month_end, l.location_id
    from months as m
    join located as l
        on registered_on(l.registration_date, l.deregistration_date, m.month_end)
),

held as (
    -- each overall rating with the date the next one replaced it
    select
        location_id,
        rating,
        report_date,
        lead(report_date) over (partition by location_id order by report_date) as replaced_on
    from mart.ratings
    where key_question = 'overall'
      and location_id in (select location_id from located)
),

rated_at as (
    select o.month_end, o.location_id, h.rating
    from open_at as o
    left join held as h
        on h.location_id = o.location_id
       and h.report_date <= o.month_end
       and (h.replaced_on is null or h.replaced_on > o.month_end)
),

final as (
    select month_end, coalesce(rating, 'Not rated') as rating, count(*) as locations
    from rated_at
    group by all
)

select * from final
order by month_end, rating
