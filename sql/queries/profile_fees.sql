-- The rates the council pays one location (its own, or its provider's for every location),
-- each beside the benchmarks for the financial year it started in.
with rates as (
    select care_category, amount, unit, effective_from, effective_to, funder,
           location_id is null as provider_wide
    from mart.fee_rates
    where location_id = $location_id
       or (location_id is null and provider_id = $provider_id)
),

final as (
    select
        r.*,
        b.benchmark,
        b.amount as benchmark_amount,
        b.financial_year
    from rates as r
    asof left join (select * from mart.benchmarks) as b
        on r.care_category = b.care_category and b.year_start <= r.effective_from
)

select * from final
order by effective_from desc, care_category, benchmark
