-- The other locations of the same provider, with their RAG and latest overall rating.
with siblings as (
    select location_id, location_name, service_kind, local_authority, is_active
    from mart.register
    where provider_id = $provider_id
      and location_id <> $location_id
),

latest_overall as (
    select location_id, arg_max(rating, report_date) as latest_overall_rating
    from mart.ratings
    where key_question = 'overall'
      and location_id in (select location_id from siblings)
    group by location_id
),

final as (
    select s.*, r.latest_overall_rating, c.rag
    from siblings as s
    left join latest_overall as r using (location_id)
    left join mart.risk_current as c using (location_id)
)

select * from final
order by is_active desc, location_name
