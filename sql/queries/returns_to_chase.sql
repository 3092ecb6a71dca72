-- The chasing list: one row per return owed on $as_of (due before that day and not received by it),
-- due on or after $due_from (null: any time), with who owes it, where to reach them as far as the warehouse knows (postcode), and how many days
-- it is overdue. Due dates and receipt come from mart.expected_returns (the one returns calendar).
-- params: as_of, due_from, local_authority
with owed as (
    select location_id, provider_id, location_name, service_kind, local_authority, period, due_date
    from mart.expected_returns
    where due_date < $as_of
      and (received_at is null or cast(received_at as date) > $as_of)
      and ($due_from is null or due_date >= $due_from)
      and ($local_authority is null or local_authority = $local_authority)
),

register as (
    select location_id, provider_name, postcode
    from mart.register
),

final as (
    select
        o.provider_id,
        r.provider_name,
        o.location_id,
        o.location_name,
        r.postcode,
        o.local_authority,
        o.service_kind,
        o.period,
        o.due_date,
        date_diff('day', o.due_date, cast($as_of as date)) as days_overdue
    from owed as o
    left join register as r using (location_id)
)

select * from final
order by days_overdue desc, provider_name, provider_id, location_name, location_id
