-- What the returns-based indicators need, per location scored at $as_of, read straight from the
-- returns tables in one grouped pass (no staging table of return rows).
--
-- Returns as they stood at $as_of: for each location and period before $as_of (in the 13 months
-- before it) the version current at $as_of, that is the latest submitted on or before $as_of (a
-- version superseded later still counts), and when the first version arrived (for lateness). A
-- version's time is its submitted_at, else the start of the batch that loaded it. Most returns have
-- one version: only the few (location, period) pairs that were ever resubmitted are grouped
-- (`repeated`), and every other version of those is left out by a join against that small set.
--
-- Months are counted back from the month of $as_of: months_ago 1 is the month before it. "Latest"
-- means the latest period meeting the condition beside it. Each indicator file reads its own columns
-- and applies its threshold.
-- Grain: one row per location with any return in the 13 months before $as_of.
with batches as (
    select batch_id, started_at
    from main.ingest_batches
),

versions as not materialized (
    select
        'care_home' as kind,
        r.location_id,
        r.period,
        coalesce(r.submitted_at, b.started_at) as known_at,
        r.row_number,
        r.superseded_at is not null as superseded,
        r.beds,
        r.occupied_beds,
        r.vacant_beds_accepting,
        r.accepting_admissions,
        coalesce(r.nurses_employed, 0) + coalesce(r.care_workers_employed, 0) as staff_employed,
        r.hours_paid as hours,
        r.agency_hours,
        r.staff_vacancies,
        r.leavers,
        cast(null as double) as packages_handed_back_pct,
        cast(null as boolean) as can_take_more_hours,
        coalesce(r.safeguarding_concerns, 0) + coalesce(r.complaints, 0) as concerns,
        r.residents_council as people_council,
        coalesce(r.residents_council, 0) + coalesce(r.residents_nhs, 0)
            + coalesce(r.residents_self_funded, 0) as people
    from main.care_home_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
      and coalesce(r.submitted_at, b.started_at) < cast($as_of as date) + interval 1 day

    union all

    select
        'home_care' as kind,
        r.location_id,
        r.period,
        coalesce(r.submitted_at, b.started_at) as known_at,
        r.row_number,
        r.superseded_at is not null as superseded,
        cast(null as integer) as beds,
        cast(null as integer) as occupied_beds,
        cast(null as integer) as vacant_beds_accepting,
        cast(null as boolean) as accepting_admissions,
        r.care_workers_employed as staff_employed,
        r.hours_delivered as hours,
        r.agency_hours,
        r.vacancies as staff_vacancies,
        r.leavers,
        r.packages_handed_back_pct,
        r.can_take_more_hours,
        coalesce(r.safeguarding_concerns, 0) + coalesce(r.complaints, 0) as concerns,
        r.people_council,
        coalesce(r.people_council, 0) + coalesce(r.people_nhs, 0)
            + coalesce(r.people_self_funded, 0) as people
    from main.home_care_returns as r
    left join batches as b using (batch_id)
    where r.period < $as_of
      and r.period >= cast($as_of - interval 13 month as date)
      and coalesce(r.submitted_at, b.started_at) < cast($as_of as date) + interval 1 day
),

resubmitted as (
    -- returns with a later version somewhere in the warehouse (not necessarily known by $as_of)
    select distinct kind, location_id, period
    from versions
    where superseded
),

repeated as (
    -- of those, the ones with more than one version known by $as_of: the latest (ties: the later
    -- row of the file) and when the first arrived
    select
        v.kind,
        v.location_id,
        v.period,
        max(struct_pack(known_at := v.known_at, row_number := v.row_number)) as latest,
        min(v.known_at) as first_known_at
    from versions as v
    semi join resubmitted as s
        on s.kind = v.kind and s.location_id = v.location_id and s.period = v.period
    group by v.kind, v.location_id, v.period
    having count(*) > 1
),

current as (
    select
        v.*,
        coalesce(p.first_known_at, v.known_at) as first_known_at,
        date_diff('month', v.period, cast(date_trunc('month', $as_of) as date)) as months_ago
    from versions as v
    left join repeated as p
        on p.kind = v.kind and p.location_id = v.location_id and p.period = v.period
    where p.latest is null
       or p.latest = struct_pack(known_at := v.known_at, row_number := v.row_number)
),

joined as (
    select
        r.*,
        coalesce(r.beds, l.beds) as size_beds,
        r.months_ago between 1 and 3 as last_3
    from current as r
    join stage_locations as l using (location_id)
),

final as (
    select
        location_id,
        any_value(kind) as kind,

        -- late_missing_returns: when each return of the months it looks at first arrived
        list(struct_pack(kind, period, first_known_at))
            filter (where months_ago between 1 and 2 + $late_missing_returns_periods) as received,

        -- agency_reliance: returns of the last 3 months with hours and agency hours
        sum(agency_hours) filter (where last_3 and hours > 0 and agency_hours is not null) as agency_hours_3m,
        sum(hours) filter (where last_3 and hours > 0 and agency_hours is not null) as hours_3m,
        count(*) filter (where last_3 and hours > 0 and agency_hours is not null) as agency_months_3m,

        -- low_occupancy, beds_closed_to_admissions: latest care-home return of the last 3 months
        arg_max(struct_pack(period, beds := size_beds, occupied_beds, vacant_beds_accepting,
                            accepting_admissions), period)
            filter (where kind = 'care_home' and last_3 and occupied_beds is not null) as occupancy_3m,

        -- occupancy_falling: latest care-home occupancy since the start of the month 3 months back,
        -- and the occupancies 3 to 6 months back to pair it with
        arg_max(struct_pack(period, months_ago, occupancy := occupied_beds / size_beds), period)
            filter (where kind = 'care_home' and months_ago <= 3 and size_beds > 0
                    and occupied_beds is not null) as occupancy_now,
        list(struct_pack(period, months_ago, occupancy := occupied_beds / size_beds))
            filter (where kind = 'care_home' and months_ago between 3 and 6 and size_beds > 0
                    and occupied_beds is not null) as occupancy_before,

        -- council_funded_share: latest return of the last 3 months with people and council-funded
        arg_max(struct_pack(period, people_council, people), period)
            filter (where last_3 and people > 0 and people_council is not null) as funding_3m,

        -- staff_vacancies: latest return of the last 3 months with vacancies
        arg_max(struct_pack(period, staff_vacancies, staff_employed), period)
            filter (where last_3 and staff_vacancies is not null
                    and staff_employed + staff_vacancies > 0) as vacancies_3m,

        -- staff_turnover: returns of the last 12 months with leavers and staff
        sum(leavers) filter (where months_ago between 1 and 12 and leavers is not null
                             and staff_employed is not null) as leavers_12m,
        avg(staff_employed) filter (where months_ago between 1 and 12 and leavers is not null
                                    and staff_employed is not null) as staff_12m,
        count(*) filter (where months_ago between 1 and 12 and leavers is not null
                         and staff_employed is not null) as turnover_months_12m,

        -- packages_handed_back: home-care returns of the last 3 months
        avg(packages_handed_back_pct)
            filter (where kind = 'home_care' and last_3 and packages_handed_back_pct is not null)
            as handed_back_pct_3m,
        count(*) filter (where kind = 'home_care' and last_3 and packages_handed_back_pct is not null)
            as handed_back_months_3m,

        -- no_capacity_for_hours: the answers of the last 12 months, latest first
        list(can_take_more_hours order by period desc)
            filter (where kind = 'home_care' and months_ago between 1 and 12
                    and can_take_more_hours is not null) as more_hours_answers,
        max(period) filter (where kind = 'home_care' and months_ago between 1 and 12
                            and can_take_more_hours is not null) as more_hours_latest_period,

        -- concerns_high: the last $concerns_high_months months
        sum(concerns) filter (where months_ago between 1 and $concerns_high_months) as concerns_window,
        count(*) filter (where months_ago between 1 and $concerns_high_months) as concerns_window_months,
        max(beds) filter (where months_ago between 1 and $concerns_high_months) as concerns_window_beds,
        avg(people) filter (where months_ago between 1 and $concerns_high_months) as concerns_window_people,

        -- concerns_rising: the last 3 months against the 3 before
        sum(concerns) filter (where last_3) as concerns_3m,
        sum(concerns) filter (where months_ago between 4 and 6) as concerns_previous_3m,
        count(*) filter (where last_3) as returns_3m,
        count(*) filter (where months_ago between 4 and 6) as returns_previous_3m,

        -- people_affected, local_capacity_share: latest home-care people, latest care-home beds
        arg_max(people, period) filter (where kind = 'home_care' and last_3 and people > 0) as people_3m,
        arg_max(beds, period) filter (where kind = 'care_home' and beds > 0) as beds_latest
    from joined
    group by location_id
)

select * from final
