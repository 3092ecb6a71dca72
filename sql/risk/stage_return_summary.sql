-- What the returns-based indicators need, per location scored at $as_of, from one grouped pass over
-- stage_returns (the returns as they stood at $as_of; a table, since aggregating straight from the
-- joins that make it measured several times slower on the national demo). "Latest" means the latest
-- period meeting the condition beside it. Each indicator file reads its own columns and applies its
-- threshold.
-- Grain: one row per location with any return in the 13 months before $as_of.
-- params: late_missing_returns_periods, concerns_high_months
-- reads: stage_returns
with final as (
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

        -- no_capacity_for_hours: the answers of the last 12 months with their periods, in no order
        -- (the indicator sorts them; an ordered aggregate here cost a sort per location)
        list(struct_pack(period, can_take_more_hours))
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
    from stage_returns
    group by location_id
)

select * from final
