-- Impact: beds (care homes: register, else the latest return) or people supported (home care: the
-- latest return of the last 3 months) affected if the service fails (stage_impact_size). Points grow
-- with size up to $people_affected_full_at.
-- params: people_affected_domain, people_affected_points, people_affected_full_at, people_affected_threshold
-- reads: stage_impact_size
with final as (
    select
        location_id,
        'people_affected' as flag,
        $people_affected_domain as domain,
        $people_affected_points * least(1.0, size / $people_affected_full_at) as points,
        cast(size as double) as value,
        cast($people_affected_threshold as double) as threshold,
        json_object('size', size, 'unit', unit, 'full_points_at', $people_affected_full_at,
                    'source', source) as evidence,
        format('{} {} affected if it fails', size,
               case when service_kind = 'care_home' then if(size = 1, 'bed', 'beds')
                    else if(size = 1, 'person', 'people') end) as message
    from stage_impact_size
    where size >= $people_affected_threshold
)

select * from final
