-- The span of history a backtest can replay: from the first month with returns (or, without
-- returns, the first CQC report) to the latest data date.
with firsts as (
    select min(period) as d from main.care_home_returns
    union all
    select min(period) from main.home_care_returns
),

final as (
    select
        coalesce(min(d), (select min(report_date) from main.cqc_ratings)) as first_date
    from firsts
)

select * from final
