-- The thresholds hash of the latest stored scores, to say whether the stored backtest measured the
-- thresholds the watchlist uses now. Grain: at most one row.
with latest as (
    select max(as_of) as as_of
    from main.risk_scores
),

final as (
    select
        min(s.thresholds_hash) as thresholds_hash,
        count(distinct s.thresholds_hash) as hashes,
        max(s.as_of) as as_of
    from main.risk_scores as s
    join latest using (as_of)
)

select * from final
