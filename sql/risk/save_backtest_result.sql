-- Store one backtest's figures (`market-oversight backtest --save`) for the reliability page.
-- Grain of the table: one row per stored backtest.
-- params: run_id, ran_at, thresholds_hash, thresholds_source, thresholds_fitted_at, events_source, event_types, horizon_months, first_as_of, last_as_of, location_dates, positives, roc_auc, result
insert into main.backtest_results (
    run_id, ran_at, thresholds_hash, thresholds_source, thresholds_fitted_at, events_source, event_types,
    horizon_months, first_as_of, last_as_of, location_dates, positives, roc_auc, result
)
values (
    $run_id, $ran_at, $thresholds_hash, $thresholds_source, cast($thresholds_fitted_at as timestamp),
    $events_source, $event_types, $horizon_months, cast($first_as_of as date), cast($last_as_of as date),
    $location_dates, $positives, $roc_auc, cast($result as json)
)
