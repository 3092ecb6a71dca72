-- The benchmarks fee_below_benchmark needs at $as_of and cannot find: for each kind of service, its
-- benchmark ($care_home_benchmark, $home_care_benchmark) has no amount for the financial year of
-- $as_of ($financial_year) in a care category and unit that a fee in force at $as_of is paid in, so
-- the indicator cannot be raised for those locations (it would otherwise be silent about it).
-- Grain: one row per service kind, benchmark, care category and unit missing.
-- params: as_of, care_home_benchmark, home_care_benchmark, financial_year
with kinds as (
    select location_id, provider_id, service_kind
    from main.cqc_locations
    where service_kind in ('care_home', 'home_care')
),

fees_in_force as (
    -- a location's own rates and its provider's, in force at $as_of (as fee_below_benchmark.sql
    -- reads them; two equality joins, as there)
    select k.location_id, k.service_kind, f.care_category, f.unit
    from kinds as k
    join main.fee_rates as f on f.location_id = k.location_id
    where f.effective_from <= $as_of
      and (f.effective_to is null or f.effective_to >= $as_of)

    union all

    select k.location_id, k.service_kind, f.care_category, f.unit
    from kinds as k
    join main.fee_rates as f on f.provider_id = k.provider_id
    where f.location_id is null
      and f.effective_from <= $as_of
      and (f.effective_to is null or f.effective_to >= $as_of)
),

needed as (
    select
        service_kind,
        case when service_kind = 'care_home' then $care_home_benchmark else $home_care_benchmark end
            as benchmark,
        care_category,
        unit,
        count(distinct location_id) as locations
    from fees_in_force
    group by all
),

final as (
    select
        n.service_kind,
        n.benchmark,
        $financial_year as financial_year,
        n.care_category,
        n.unit,
        n.locations
    from needed as n
    where not exists (
        select 1
        from main.benchmarks as b
        where b.benchmark = n.benchmark
          and b.financial_year = $financial_year
          and b.care_category = n.care_category
          and b.unit = n.unit
          and b.amount > 0
    )
    order by n.service_kind, n.care_category, n.unit
)

select * from final
