-- How many active locations held each overall rating at the end of each of the last months.
with months as (
    select cast(m as date) as month_end
    from range(date_trunc('month', cast($as_of as date)) - interval (($months - 1)) month,
               date_trunc('month', cast($as_of as date)) + interval 1 month,
               interval 1 month) as t(m)
),

located as (
    select location_id, registration_date, deregistration_date
    from mart.register
    where ($local_authority is null or local_authority = $local_authority)
      and ($icb_name is null or icb_name = $icb_name)
      and ($service_kind is null or service_kind = $service_kind)
),

overall as (
    select location_id, report_date, rating
    from mart.ratings
    where key_question = 'overall'
      and location_id in (select location_id from located)
),

open_at as (
    select l.location_id, months.month_end
    from located as l
    cross join months
    where (l.registration_date is null or l.registration_date <= months.month_end)
      and (l.deregistration_date is null or l.deregistration_date > months.month_end)
),

rated_at as (
    select o.month_end, coalesce(r.rating, 'Not rated') as rating
    from open_at as o
    asof left join overall as r
        on o.location_id = r.location_id and r.report_date <= o.month_end
),

final as (
    select month_end, rating, count(*) as locations
    from rated_at
    group by month_end, rating
    order by month_end, rating
)

select * from final
