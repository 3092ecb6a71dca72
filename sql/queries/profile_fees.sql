-- The rates the council pays one location (its own, or its provider's for every location), each
-- beside one benchmark for the financial year it started in: the benchmark the risk thresholds
-- choose for the location's kind of service ($care_home_benchmark for a care home,
-- $home_care_benchmark otherwise, as sql/indicators/fee_below_benchmark.sql chooses), so the table
-- compares every year with the same one.
-- Grain: one row per rate.
-- params: care_home_benchmark, home_care_benchmark, location_id, provider_id
with chosen as (
    select case when service_kind = 'care_home' then $care_home_benchmark else $home_care_benchmark end
        as benchmark
    from mart.register
    where location_id = $location_id
),

rates as (
    select care_category, amount, unit, effective_from, effective_to, funder,
           location_id is null as provider_wide
    from mart.fee_rates
    where location_id = $location_id
       or (location_id is null and provider_id = $provider_id)
),

benchmarks as (
    select care_category, benchmark, amount, financial_year, year_start
    from mart.benchmarks
    where benchmark = (select benchmark from chosen)
),

final as (
    select
        r.*,
        b.benchmark,
        b.amount as benchmark_amount,
        b.financial_year
    from rates as r
    asof left join benchmarks as b
        on r.care_category = b.care_category and b.year_start <= r.effective_from
)

select * from final
order by effective_from desc, care_category
