-- Benchmark rates by financial year and care category.
with final as (
    select
        financial_year,
        cast(left(financial_year, 4) || '-04-01' as date) as year_start,
        care_category,
        benchmark,
        amount,
        unit,
        source,
        batch_id,
        row_number
    from main.benchmarks
)

select * from final
