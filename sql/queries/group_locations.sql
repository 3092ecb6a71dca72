-- Every location of one group, registered first: a provider (the registered company) or a CQC brand
-- ($scope is provider or brand; $id its CQC ID). Each with the RAG in force (mart.risk_current, the
-- one definition), its latest CQC overall rating, its registered beds and the flags raised at the
-- latest score, causes apart from impact items, each largest first (these two from
-- serving.location_latest, made when the serving copy is published). (People supported come from
-- group_people.sql: joined here, DuckDB reads every home-care return on the national demo.)
-- Grain: one row per location of the group, deregistered ones included.
-- params: scope, id, rag_order
with located as (
    select
        location_id, location_name, provider_id, provider_name, brand_id, brand_name, service_kind,
        local_authority, postcode, beds, is_active
    from mart.register
    where in_scope($scope, $id, location_id, provider_id, brand_id)   -- migration 096
),

final as (
    select
        l.*,
        f.latest_overall_rating,
        c.rag,
        c.likelihood,
        c.impact,
        coalesce(f.causes, []) as causes,
        coalesce(f.impacts, []) as impacts
    from located as l
    left join mart.risk_current as c using (location_id)
    left join serving.location_latest as f using (location_id)
)

select * from final
order by is_active desc, list_position($rag_order, rag) nulls last, location_name
