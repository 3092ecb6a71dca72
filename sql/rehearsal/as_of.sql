-- The dates a rehearsal's data are as of: the register snapshot and the latest risk score.
-- Grain: one row.
with final as (
    select
        (select max(snapshot_date) from mart.register) as register,
        (select max(as_of) from mart.risk_current) as risk_score
)

select * from final
