-- Which monthly returns were due from whom, and whether each came on time, late or not at all.
-- A care home or home-care agency owes a return for every month it was registered, from the first
-- month the council collected that kind of return up to last month. Due by day N of the following
-- month (returns_calendar, from [returns] due_day_of_following_month); received means the first
-- version arrived (its submitted_at, else when its file was loaded).
with calendar as (
    select due_day_of_following_month as due_day
    from main.returns_calendar
    limit 1
),

batches as (
    select batch_id, started_at
    from main.ingest_batches
),

-- not materialized: a filter on one location then reaches the returns tables (seconds to
-- tenths of a second on the national demo)
received as not materialized (
    select 'care_home' as service_kind, r.location_id, r.period,
           min(version_sent_at(r.submitted_at, b.started_at)) as received_at
    from main.care_home_returns as r
    left join batches as b using (batch_id)
    group by r.location_id, r.period
    union all
    select 'home_care' as service_kind, r.location_id, r.period,
           min(version_sent_at(r.submitted_at, b.started_at)) as received_at
    from main.home_care_returns as r
    left join batches as b using (batch_id)
    group by r.location_id, r.period
),

collected as (
    select 'care_home' as service_kind, min(period) as first_period from main.care_home_returns
    union all
    select 'home_care' as service_kind, min(period) as first_period from main.home_care_returns
),

months as (
    select c.service_kind, cast(m.period as date) as period
    from collected as c,
        range(c.first_period, cast(date_trunc('month', current_date) as date), interval 1 month) as m(period)
),

register as (
    select location_id, provider_id, location_name, service_kind, local_authority,
           cast(date_trunc('month', registration_date) as date) as first_month,
           cast(date_trunc('month', deregistration_date) as date) as gone_month,
           registration_status, snapshot_date
    from main.cqc_locations
    where service_kind in ('care_home', 'home_care')
),

expected as (
    select r.location_id, r.provider_id, r.location_name, r.service_kind, r.local_authority,
           m.period,
           return_due_date(m.period, (select due_day from calendar)) as due_date
    from register as r
    join months as m using (service_kind)
    where m.period >= coalesce(r.first_month, m.period)
      and (r.gone_month is null or m.period < r.gone_month)
      -- deregistered with no date recorded: owed nothing after the snapshot that said so
      and not (r.registration_status = 'Deregistered' and r.gone_month is null
               and m.period >= cast(date_trunc('month', r.snapshot_date) as date))
),

final as (
    select
        e.location_id,
        e.provider_id,
        e.location_name,
        e.service_kind,
        e.local_authority,
        e.period,
        e.due_date,
        x.received_at,
        case
            when x.received_at is not null and cast(x.received_at as date) <= e.due_date then 'on_time'
            when x.received_at is not null then 'late'
            when e.due_date < current_date then 'missing'
            else 'not_yet_due'
        end as status,
        case when x.received_at is not null
             then date_diff('day', e.due_date, cast(x.received_at as date)) end as days_after_due
    from expected as e
    left join received as x using (service_kind, location_id, period)
)

select * from final
