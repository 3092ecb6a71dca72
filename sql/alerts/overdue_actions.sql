-- Casework actions that became overdue in the week: due the day before or during the week (so the
-- first overdue day falls in it) and still open at the end of the week (open now, or closed later).
-- params: week_start, week_end
with final as (
    select
        location_id,
        title,
        owner,
        due_date,
        status
    from casework_mirror.actions
    where due_date between $week_start - 1 and $week_end - 1
      and (status = 'open'
           or (updated_at is not null and cast(updated_at as date) > $week_end))
)

select * from final
order by due_date, location_id
