with final as (
    select
        location_id,
        as_of,
        flag,
        domain,
        points,
        value,
        threshold,
        evidence,
        message
    from main.risk_flags
)

select * from final
