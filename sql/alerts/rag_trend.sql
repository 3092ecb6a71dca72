-- Red and amber counts at each of the last 12 score dates up to the end of the week (chart context).
-- params: week_end
with dates as (
    select distinct as_of
    from main.risk_scores
    where as_of <= $week_end
    order by as_of desc
    limit 12
),

final as (
    select h.as_of, h.rag, count(*) as locations
    from mart.risk_history as h
    join dates using (as_of)
    where h.rag in ('red', 'amber')
    group by h.as_of, h.rag
)

select * from final
order by as_of, rag
