-- Names of the given locations, with the RAG in force now, for casework lists.
-- params: location_ids
with named as (
    select location_id, location_name, provider_name, postcode, local_authority
    from mart.register
    where list_contains($location_ids, location_id)
),

final as (
    select n.*, c.rag
    from named as n
    left join mart.risk_current as c using (location_id)
)

select * from final
