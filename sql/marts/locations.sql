-- The register (mart.register, where "active" is defined) with each location's latest overall rating.
with latest_overall as (
    select
        location_id,
        rating as latest_overall_rating,
        report_date as latest_rating_date
    from main.cqc_ratings
    where key_question = 'overall'
    qualify row_number() over (partition by location_id order by report_date desc) = 1
),

final as (
    select
        g.location_id,
        g.provider_id,
        g.location_name,
        g.provider_name,
        g.service_kind,
        g.beds,
        g.local_authority,
        g.region,
        g.icb_code,
        g.icb_name,
        g.postcode,
        g.latitude,
        g.longitude,
        g.registration_date,
        g.deregistration_date,
        g.is_active,
        g.dormant,
        g.has_registered_manager,
        r.latest_overall_rating,
        r.latest_rating_date,
        g.snapshot_date
    from mart.register as g
    left join latest_overall as r using (location_id)
)

select * from final
