-- Per provider: how many returns were due, late and missing (providers with any late or missing).
-- params: local_authority
with counted as (
    select
        provider_id,
        count(distinct location_id) as locations,
        count(*) filter (where status <> 'not_yet_due') as returns_due,
        count(*) filter (where status = 'late') as late,
        count(*) filter (where status = 'missing') as missing
    from mart.expected_returns
    where ($local_authority is null or local_authority = $local_authority)
    group by provider_id
),

named as (
    select provider_id, any_value(provider_name) as provider_name
    from mart.register
    group by provider_id
),

final as (
    select c.provider_id, n.provider_name, c.locations, c.returns_due, c.late, c.missing
    from counted as c
    left join named as n using (provider_id)
    where c.late + c.missing > 0
)

select * from final
order by missing desc, late desc, provider_id
