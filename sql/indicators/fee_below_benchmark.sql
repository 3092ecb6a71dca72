-- Sustainability: the fee the council pays (a rate for the location, else for its provider,
-- effective at $as_of) is below the benchmark for its care category in the financial year of
-- $as_of ($financial_year, vocab.financial_year): fee / benchmark < $fee_below_benchmark_threshold.
-- A year with no benchmark raises nothing here; sql/risk/missing_benchmarks.sql says so.
-- params: as_of, financial_year, fee_below_benchmark_care_home_benchmark, fee_below_benchmark_home_care_benchmark, fee_below_benchmark_domain, fee_below_benchmark_points, fee_below_benchmark_threshold
-- reads: stage_locations
with rates as (
    -- rates in force at $as_of: a location's own, and its provider's (two equality joins; one join
    -- on "location or provider" cannot use a hash join)
    select l.location_id, l.service_kind, f.care_category, f.amount, f.unit, f.effective_from,
           true as own_rate
    from stage_locations as l
    join main.fee_rates as f on f.location_id = l.location_id
    where f.effective_from <= $as_of
      and (f.effective_to is null or f.effective_to >= $as_of)

    union all

    select l.location_id, l.service_kind, f.care_category, f.amount, f.unit, f.effective_from,
           false as own_rate
    from stage_locations as l
    join main.fee_rates as f on f.provider_id = l.provider_id
    where f.location_id is null
      and f.effective_from <= $as_of
      and (f.effective_to is null or f.effective_to >= $as_of)
),

fees as (
    -- per location and category: its own rate before its provider's, the latest first
    select *
    from rates
    qualify row_number() over (
        partition by location_id, care_category
        order by own_rate desc, effective_from desc) = 1
),

compared as (
    select f.*, b.benchmark, b.amount as benchmark_amount, b.financial_year, b.source as benchmark_source
    from fees as f
    join main.benchmarks as b
        on b.care_category = f.care_category
       and b.unit = f.unit
       and b.financial_year = $financial_year
       and b.benchmark = case when f.service_kind = 'care_home'
                              then $fee_below_benchmark_care_home_benchmark
                              else $fee_below_benchmark_home_care_benchmark end
    where b.amount > 0
    -- the category furthest below its benchmark speaks for the location
    qualify row_number() over (partition by f.location_id order by f.amount / b.amount) = 1
),

final as (
    select
        location_id,
        'fee_below_benchmark' as flag,
        $fee_below_benchmark_domain as domain,
        $fee_below_benchmark_points as points,
        round(amount / benchmark_amount, 6) as value,
        cast($fee_below_benchmark_threshold as double) as threshold,
        json_object('care_category', care_category, 'fee', amount, 'unit', unit,
                    'effective_from', effective_from, 'rate_for', case when own_rate then 'location' else 'provider' end,
                    'benchmark', benchmark, 'benchmark_amount', benchmark_amount,
                    'financial_year', financial_year, 'benchmark_source', benchmark_source,
                    'source', 'fee_rates, benchmarks') as evidence,
        format('Fee £{:,.2f} per {} for {} care is {:.0f}% of the {} benchmark of £{:,.2f} ({})',
               amount, unit, replace(care_category, '_', ' '), 100 * amount / benchmark_amount,
               replace(benchmark, '_', ' '), benchmark_amount, financial_year) as message
    from compared
    where round(amount / benchmark_amount, 6) < $fee_below_benchmark_threshold
)

select * from final
