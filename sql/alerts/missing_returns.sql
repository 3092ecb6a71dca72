-- Monthly returns that became missing in the week: due the day before or during the week, so that
-- the first day they were overdue falls in the week, and not received by the end of the week.
-- params: week_start, week_end
with final as (
    select
        location_id,
        service_kind,
        period,
        due_date,
        received_at,
        status
    from mart.expected_returns
    where due_date between $week_start - 1 and $week_end - 1
      and (received_at is null or cast(received_at as date) > $week_end)
)

select * from final
order by location_id, period
