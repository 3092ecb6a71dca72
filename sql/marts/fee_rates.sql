-- Commissioned fee rates, one row per rate, with the location's or provider's name.
with final as (
    select
        f.location_id,
        coalesce(f.provider_id, l.provider_id) as provider_id,
        l.location_name,
        f.care_category,
        f.amount,
        f.unit,
        f.effective_from,
        f.effective_to,
        f.funder,
        f.batch_id,
        f.row_number
    from main.fee_rates as f
    left join main.cqc_locations as l using (location_id)
)

select * from final
