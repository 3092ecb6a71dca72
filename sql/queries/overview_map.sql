-- Active locations with a position, their RAG and any provider-concerns stages in force, for the map.
-- params: local_authority, icb_name, service_kind
with scored as (
    select location_id, rag, stages_in_force from mart.risk_current
),

final as (
    select
        l.location_id,
        l.location_name,
        l.service_kind,
        l.latitude,
        l.longitude,
        coalesce(s.rag, 'not scored') as rag,
        coalesce(s.stages_in_force, []) as stages_in_force,
        l.is_active
    from mart.register as l
    left join scored as s using (location_id)
    where l.is_active
      and l.latitude is not null and l.longitude is not null
      and ($local_authority is null or l.local_authority = $local_authority)
      and ($icb_name is null or l.icb_name = $icb_name)
      and ($service_kind is null or l.service_kind = $service_kind)
)

select * from final
order by location_id
