-- Impact: beds (care homes: register, else the latest return) or people supported (home care: the
-- latest return of the last 3 months) affected if the service fails. Points grow with size up to
-- $people_affected_full_at.
with sized as (
    select
        l.location_id,
        l.service_kind,
        case when l.service_kind = 'care_home' then coalesce(l.beds, s.beds_latest) else s.people_3m end as size
    from stage_locations as l
    left join stage_return_summary as s using (location_id)
),

final as (
    select
        location_id,
        'people_affected' as flag,
        $people_affected_domain as domain,
        $people_affected_points * least(1.0, size / $people_affected_full_at) as points,
        cast(size as double) as value,
        cast($people_affected_threshold as double) as threshold,
        json_object('size', size, 'unit', case when service_kind = 'care_home' then 'beds' else 'people supported' end,
                    'full_points_at', $people_affected_full_at,
                    'source', case when service_kind = 'care_home' then 'cqc_locations beds' else 'home_care_returns' end)
            as evidence,
        format('{} {} affected if it fails', size,
               case when service_kind = 'care_home' then 'beds' else 'people' end) as message
    from sized
    where size >= $people_affected_threshold
)

select * from final
