-- How one group's locations stood at every stored score (a provider or a CQC brand: $scope is
-- provider or brand, $id its CQC ID): how many were red, amber and green (the RAG in force then,
-- from mart.risk_history).
-- Grain: one row per as-of date and RAG held by at least one of the group's locations.
-- params: scope, id, rag_order
with located as (
    select location_id
    from mart.register
    where in_scope($scope, $id, location_id, provider_id, brand_id)   -- migration 096
),

final as (
    select h.as_of, h.rag, count(*) as locations
    from mart.risk_history as h
    join located using (location_id)
    group by h.as_of, h.rag
)

select * from final
order by as_of, list_position($rag_order, rag)
