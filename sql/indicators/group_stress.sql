-- Sustainability: at least $group_stress_threshold of the provider's active locations, and at least
-- $group_stress_share of them, carry a serious flag (one of $group_stress_flags) at $as_of; every
-- location of the provider is flagged. Runs after the other indicators, on their flags (stage_flags).
with flagged as (
    select distinct location_id
    from stage_flags
    where list_contains($group_stress_flags, flag)
),

providers as (
    select
        l.provider_id,
        count(*) as locations,
        count(f.location_id) as flagged_locations
    from stage_locations as l
    left join flagged as f using (location_id)
    where l.provider_id is not null
    group by l.provider_id
),

final as (
    select
        l.location_id,
        'group_stress' as flag,
        $group_stress_domain as domain,
        $group_stress_points as points,
        cast(p.flagged_locations as double) as value,
        cast($group_stress_threshold as double) as threshold,
        json_object('provider_id', p.provider_id, 'flagged_locations', p.flagged_locations,
                    'locations', p.locations, 'source', 'risk flags of the provider''s locations') as evidence,
        format('{} of the provider''s {} locations have a serious flag', p.flagged_locations, p.locations) as message
    from stage_locations as l
    join providers as p using (provider_id)
    where p.flagged_locations >= $group_stress_threshold
      and p.flagged_locations >= $group_stress_share * p.locations
)

select * from final
