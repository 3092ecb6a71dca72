-- Events observed in the warehouse itself, for backtesting on a council's real history:
-- a CQC overall rating lower than the one before and Requires improvement or Inadequate
-- (downgrade); a deregistration (closure); a placement suspension imposed by the council.
-- The event_type names are market_oversight.vocab.EVENT_TYPES (a test holds them equal).
-- Grain: one row per location, event date and event type.
with ranks as (
    select * from (values ('Outstanding', 4), ('Good', 3), ('Requires improvement', 2), ('Inadequate', 1))
        as t(rating, rank)
),

overall as (
    select
        r.location_id,
        r.report_date,
        k.rank,
        lag(k.rank) over (partition by r.location_id order by r.report_date) as previous_rank
    from main.cqc_ratings as r
    join ranks as k using (rating)
    where r.key_question = 'overall'
),

downgrades as (
    select location_id, report_date as event_date, 'downgrade' as event_type
    from overall
    where rank <= 2 and rank < previous_rank
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
    select * from closures
    union all
    select * from suspensions
)

select * from final
