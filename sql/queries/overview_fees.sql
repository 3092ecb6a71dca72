-- Fees in force on a date against the benchmarks for that financial year, per care category.
-- params: local_authority, icb_name, service_kind, as_of
with located as (
    select location_id, provider_id
    from mart.register
    where is_active
      and in_market_filter(local_authority, icb_name, service_kind, $local_authority, $icb_name, $service_kind)
),

in_force as (
    select f.care_category, f.unit, f.amount
    from mart.fee_rates as f
    where f.effective_from <= $as_of
      and (f.effective_to is null or f.effective_to >= $as_of)
      and (f.location_id in (select location_id from located)
           or (f.location_id is null and f.provider_id in (select provider_id from located)))
),

paid as (
    select
        care_category,
        any_value(unit) as unit,
        count(*) as rates,
        median(amount) as median_paid,
        min(amount) as lowest_paid,
        max(amount) as highest_paid
    from in_force
    group by care_category
),

year_of as (
    select max(year_start) as year_start from mart.benchmarks where year_start <= $as_of
),

benchmarked as (
    select care_category, benchmark, amount as benchmark_amount
    from mart.benchmarks
    where year_start = (select year_start from year_of)
),

final as (
    select p.*, b.benchmark, b.benchmark_amount
    from paid as p
    left join benchmarked as b using (care_category)
)

select * from final
order by care_category, benchmark
