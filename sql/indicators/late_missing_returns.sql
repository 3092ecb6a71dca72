-- Sustainability: of the last $late_missing_returns_periods monthly returns due on or before
-- $as_of (due on day $due_day of the following month), at least $late_missing_returns_threshold were
-- missing at $as_of or arrived after their due date. Only for kinds of service the council collects
-- returns for (some location of the kind has a return in the window).
with collected as (
    select distinct kind from stage_returns
),

due_months as (
    select
        cast(date_trunc('month', $as_of) - to_months(cast(k as integer)) as date) as period
    from range(1, 3 + $late_missing_returns_periods) as t(k)
),

due as (
    select
        period,
        return_due_date(period, $due_day) as due_date   -- the one definition (migration 011)
    from due_months
),

expected as (
    select l.location_id, l.service_kind, d.period, d.due_date
    from stage_locations as l
    join collected as c on c.kind = l.service_kind
    cross join due as d
    where d.due_date <= $as_of
      and d.period >= cast(date_trunc('month', coalesce(l.registration_date, d.period)) as date)
    qualify row_number() over (partition by l.location_id order by d.period desc)
        <= $late_missing_returns_periods
),

judged as (
    select
        e.location_id,
        e.period,
        e.due_date,
        r.first_known_at,
        case when r.first_known_at is null then 'missing'
             when cast(r.first_known_at as date) > e.due_date then 'late'
             else 'on time' end as status
    from expected as e
    left join stage_returns as r
        on r.location_id = e.location_id and r.kind = e.service_kind and r.period = e.period
),

counted as (
    select
        location_id,
        count(*) filter (where status <> 'on time') as late_or_missing,
        count(*) as due,
        list(struct_pack(period := period, due_date := due_date, status := status,
                         received := first_known_at) order by period) as returns
    from judged
    group by location_id
),

final as (
    select
        location_id,
        'late_missing_returns' as flag,
        $late_missing_returns_domain as domain,
        $late_missing_returns_points as points,
        cast(late_or_missing as double) as value,
        cast($late_missing_returns_threshold as double) as threshold,
        json_object('returns', returns, 'source', 'provider returns against the returns calendar') as evidence,
        format('{} of the last {} monthly returns missing or late', late_or_missing, due) as message
    from counted
    where late_or_missing >= $late_missing_returns_threshold
)

select * from final
