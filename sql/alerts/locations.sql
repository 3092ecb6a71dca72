-- Who and where, for the locations named in a week's changes.
with final as (
    select
        location_id,
        location_name,
        provider_name,
        service_kind,
        local_authority
    from mart.locations
    where list_contains($location_ids, location_id)
)

select * from final
