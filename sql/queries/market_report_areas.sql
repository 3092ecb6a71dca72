-- Grain: one row per local authority with active locations in the register.
with final as (
    select local_authority, count(*) as locations
    from mart.locations
    where is_active and local_authority is not null
    group by local_authority
)

select * from final
order by locations desc, local_authority
