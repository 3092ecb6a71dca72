-- Grain: one row per kind of service and RAG in force: active locations in the area (the local
-- authority given; all when null) at the latest score.
-- params: local_authority
with scored as (
    select l.service_kind, r.rag
    from mart.risk_current as r
    join mart.locations as l using (location_id)
    where l.is_active
      and ($local_authority is null or l.local_authority = $local_authority)
),

final as (
    select service_kind, rag, count(*) as locations
    from scored
    group by service_kind, rag
)

select * from final
order by service_kind, rag
