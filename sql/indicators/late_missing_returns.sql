-- Sustainability: of the last $late_missing_returns_periods monthly returns due on or before
-- $as_of (due on the day of the following month in returns_calendar), at least $late_missing_returns_threshold were
-- missing at $as_of or arrived after their due date. Only for kinds of service the council collects
-- returns for (some location of the kind has a return in the window).
-- params: as_of, late_missing_returns_periods, late_missing_returns_threshold, late_missing_returns_domain, late_missing_returns_points
-- reads: stage_locations, stage_return_summary
with collected as (
    select distinct kind from stage_return_summary
),

due_months as (
    select
        cast(date_trunc('month', $as_of) - to_months(cast(k as integer)) as date) as period
    from range(1, 3 + $late_missing_returns_periods) as t(k)
),

due as (
    -- the last $late_missing_returns_periods returns due by $as_of (the same months for everyone)
    select
        period,
        return_due_date(period, c.due_day_of_following_month) as due_date   -- as mart.expected_returns
    from due_months, main.returns_calendar as c   -- one row: the due day in force
    where return_due_date(period, c.due_day_of_following_month) <= $as_of
    order by period desc
    limit $late_missing_returns_periods
),

expected as (
    -- a location registered part-way through owes the due months from its registration month on
    select l.location_id, l.service_kind, d.period, d.due_date
    from stage_locations as l
    join collected as c on c.kind = l.service_kind
    cross join due as d
    where d.period >= cast(date_trunc('month', coalesce(l.registration_date, d.period)) as date)
),

received as (
    select location_id, unnest(received, recursive := true)
    from stage_return_summary
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
    left join received as r
        on r.location_id = e.location_id and r.kind = e.service_kind and r.period = e.period
),

counted as (
    select
        location_id,
        count(*) filter (where status <> 'on time') as late_or_missing,
        count(*) as due
    from judged
    group by location_id
    having count(*) filter (where status <> 'on time') >= $late_missing_returns_threshold
),

flagged as (
    -- evidence only for the locations flagged (sorted by period, the struct's first field)
    select
        c.location_id,
        any_value(c.late_or_missing) as late_or_missing,
        any_value(c.due) as due,
        list_sort(list(struct_pack(period := j.period, due_date := j.due_date, status := j.status,
                                   received := j.first_known_at))) as returns
    from counted as c
    join judged as j using (location_id)
    group by c.location_id
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
    from flagged
)

select * from final
