-- Issue 17: the backtest behind the app's "How reliable are these flags?" page, stored so that the
-- page never replays history itself (a backtest takes seconds on the demo, minutes on a region).
-- Written by `market-oversight backtest --save`; the page shows the newest row.
-- Grain: one row per stored backtest.
create table backtest_results (
    run_id varchar primary key,
    ran_at timestamp not null,               -- when the backtest was run
    thresholds_hash varchar not null,        -- sha256 of the effective thresholds (as risk_scores)
    thresholds_source varchar not null,      -- the thresholds file they came from
    thresholds_fitted_at timestamp,          -- [calibration] fitted_at of a `calibrate` file; null if not fitted
    events_source varchar not null,          -- observed | demo_truth
    event_types varchar[] not null,          -- the event types that count
    horizon_months integer not null,         -- months after an as-of date an event counts
    first_as_of date not null,               -- first monthly as-of date replayed
    last_as_of date not null,                -- last monthly as-of date replayed
    location_dates bigint not null,          -- location-dates replayed
    positives bigint not null,               -- of them, followed by an event within the horizon
    roc_auc double,                          -- of the likelihood; null when no events or no non-events
    result json not null                     -- every figure of `backtest --json` (by RAG, indicators, reliability)
);
