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
        l.location_id,
        l.provider_id,
        l.location_name,
        p.provider_name,
        l.service_kind,
        l.beds,
        l.local_authority,
        l.region,
        l.icb_code,
        l.icb_name,
        l.postcode,
        l.latitude,
        l.longitude,
        l.registration_date,
        l.deregistration_date,
        l.deregistration_date is null and coalesce(l.registration_status, 'Registered') = 'Registered'
            as is_active,
        l.dormant,
        l.has_registered_manager,
        r.latest_overall_rating,
        r.latest_rating_date,
        l.snapshot_date
    from main.cqc_locations as l
    left join main.cqc_providers as p using (provider_id)
    left join latest_overall as r using (location_id)
)

select * from final
