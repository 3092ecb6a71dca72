-- Impact: nursing or dementia care, or fewer than $hard_to_replace_threshold other active services
-- of the same kind (nursing homes for a nursing home) in the local authority.
-- params: hard_to_replace_domain, hard_to_replace_points, hard_to_replace_threshold
-- reads: stage_locations
with alternatives as (
    select
        l.location_id,
        l.service_kind,
        l.local_authority,
        l.nursing,
        l.dementia,
        count(*) over (partition by l.service_kind, l.local_authority, l.nursing) - 1 as alternatives
    from stage_locations as l
),

final as (
    select
        location_id,
        'hard_to_replace' as flag,
        $hard_to_replace_domain as domain,
        $hard_to_replace_points as points,
        cast(alternatives as double) as value,
        cast($hard_to_replace_threshold as double) as threshold,
        json_object('nursing', nursing, 'dementia', dementia, 'alternatives_in_area', alternatives,
                    'local_authority', local_authority, 'source', 'cqc_locations') as evidence,
        concat_ws('; ',
            case when nursing then 'nursing care' end,
            case when dementia then 'dementia care' end,
            case when alternatives < $hard_to_replace_threshold
                 then format('only {} other {} services in {}', alternatives,
                             case when nursing then 'nursing' else replace(service_kind, '_', ' ') end,
                             local_authority) end) as message
    from alternatives
    where (service_kind = 'care_home' and (nursing or dementia))
       or alternatives < $hard_to_replace_threshold
)

select * from final
