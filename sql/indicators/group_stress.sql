-- Sustainability: at least $group_stress_threshold of a group's active locations, and at least
-- $group_stress_share of them, carry a serious flag (one of $group_stress_flags) at $as_of; every
-- location of the group is flagged. A group is the provider (the registered company) or the brand
-- CQC records (several providers of one owner); a location in both stressed groups is flagged once,
-- for the group with more locations flagged. Runs after the other indicators, on their flags
-- (stage_flags).
-- params: group_stress_flags, group_stress_threshold, group_stress_share, group_stress_domain, group_stress_points
-- reads: stage_flags, stage_locations
with flagged as (
    select distinct location_id
    from stage_flags
    where list_contains($group_stress_flags, flag)
),

members as (
    select location_id, 'provider' as kind, provider_id as group_id, provider_id as group_name
    from stage_locations
    where provider_id is not null
    union all
    select location_id, 'brand', brand_id, coalesce(brand_name, brand_id)
    from stage_locations
    where brand_id is not null
),

groups as (
    select
        m.kind,
        m.group_id,
        any_value(m.group_name) as group_name,
        count(*) as locations,
        count(f.location_id) as flagged_locations
    from members as m
    left join flagged as f using (location_id)
    group by m.kind, m.group_id
),

stressed as (
    select m.location_id, g.*
    from members as m
    join groups as g using (kind, group_id)
    where g.flagged_locations >= $group_stress_threshold
      and g.flagged_locations >= $group_stress_share * g.locations
    qualify row_number() over (partition by m.location_id
                               order by g.flagged_locations desc, g.kind desc) = 1
),

final as (
    select
        location_id,
        'group_stress' as flag,
        $group_stress_domain as domain,
        $group_stress_points as points,
        cast(flagged_locations as double) as value,
        cast($group_stress_threshold as double) as threshold,
        json_object(kind || '_id', group_id, 'group', kind, 'group_name', group_name,
                    'flagged_locations', flagged_locations, 'locations', locations,
                    'source', 'risk flags of the group''s locations') as evidence,
        case kind
            when 'provider' then format('{} of the provider''s {} locations have a serious flag',
                                        flagged_locations, locations)
            else format('{} of the {} locations of the brand {} have a serious flag',
                        flagged_locations, locations, group_name)
        end as message
    from stressed
)

select * from final
