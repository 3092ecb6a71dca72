-- Events observed in the warehouse itself, for backtesting and calibrating on a council's real
-- history (market_oversight.vocab.EVENT_TYPES describes each; [backtest] event_types chooses):
--   downgrade   a new overall rating of Requires improvement or Inadequate lower than the one before
--   inadequate  any new overall rating of Inadequate (the first, or again after Inadequate)
--   closure     deregistration
--   suspension  a placement suspension imposed by the council
-- A report that falls to Inadequate is both a downgrade and an inadequate event.
-- The event_type names are market_oversight.vocab.EVENT_TYPES (a test holds them equal).
-- Grain: one row per location, event date and event type.
-- params: ratings_worst_first, poor_ratings
with ranks as (
    select rating, list_position($ratings_worst_first, rating) as rank  -- vocab.RATING_RANK
    from (select unnest($ratings_worst_first) as rating)
),

overall as (
    select
        r.location_id,
        r.report_date,
        r.rating,
        k.rank,
        lag(k.rank) over (partition by r.location_id order by r.report_date) as previous_rank
    from main.cqc_ratings as r
    join ranks as k using (rating)
    where r.key_question = 'overall'
),

downgrades as (
    select location_id, report_date as event_date, 'downgrade' as event_type
    from overall
    where list_contains($poor_ratings, rating) and rank < previous_rank
),

inadequate as (
    select location_id, report_date as event_date, 'inadequate' as event_type
    from overall
    where rank = 1
),

closures as (
    select location_id, deregistration_date as event_date, 'closure' as event_type
    from main.cqc_locations
    where deregistration_date is not null
),

suspensions as (
    select location_id, imposed_on as event_date, 'suspension' as event_type
    from casework_mirror.placement_suspensions
),

final as (
    select * from downgrades
    union all
    select * from inadequate
    union all
    select * from closures
    union all
    select * from suspensions
)

select * from final
