-- The newest stored backtest, for the "How reliable are these flags?" page.
-- Grain: at most one row (one stored backtest).
with ranked as (
    select
        run_id,
        ran_at,
        thresholds_hash,
        thresholds_source,
        thresholds_fitted_at,
        events_source,
        event_types,
        horizon_months,
        first_as_of,
        last_as_of,
        location_dates,
        positives,
        roc_auc,
        cast(result as varchar) as result
    from main.backtest_results
),

final as (
    select *
    from ranked
    order by ran_at desc, run_id
    limit 1
)

select * from final
