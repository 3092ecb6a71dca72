-- Each registered care home and home-care agency with its care category, where it is, its RAG in
-- force and rating, and the people and spare capacity in its latest return: what a failure
-- rehearsal (market_oversight.rehearsal) reads on both sides, the people affected and where they
-- could go.
-- Grain: one row per registered care-home or home-care location (no return: the figures are null).
-- Care category: the macros of migration 078 (the rule sql/risk/stage_locations.sql applies as
-- at a date). Home-care hours are reported a month at a time; a week is 12/52 of a month.
-- Only returns for the 12 months up to the newest month in each returns table count: older figures
-- do not say who is there now (and a rehearsal in a meeting need not sort ten years of returns).
with registered as (
    select
        g.location_id,
        g.provider_id,
        g.provider_name,
        g.brand_id,
        g.brand_name,
        g.location_name,
        g.service_kind,
        g.local_authority,
        g.icb_code,
        g.icb_name,
        g.latitude,
        g.longitude,
        offers_nursing(c.service_types) as nursing,
        offers_dementia(c.specialisms) as dementia
    from mart.register as g
    join main.cqc_locations as c using (location_id)
    where g.is_active and g.service_kind in ('care_home', 'home_care')
),

recent_months as (
    select
        (select max(period) from main.care_home_returns) - interval 11 months as care_home_from,
        (select max(period) from main.home_care_returns) - interval 11 months as home_care_from
),

latest_rating as (
    -- as mart.locations picks it (the newest overall rating), as an aggregate: it is cheaper
    select location_id, arg_max(rating, report_date) as latest_overall_rating
    from main.cqc_ratings
    where key_question = 'overall'
    group by location_id
),

latest_care_home as (
    select
        location_id,
        period,
        residents_council,
        residents_nhs,
        residents_self_funded,
        residents_other_councils,
        occupied_beds,
        case when accepting_admissions then coalesce(vacant_beds_accepting, 0) else 0 end
            as vacant_beds_accepting,
        accepting_admissions
    from main.care_home_returns
    where superseded_at is null
      and period >= (select care_home_from from recent_months)
    qualify row_number() over (partition by location_id order by period desc) = 1
),

latest_home_care as (
    select
        location_id,
        period,
        people_council,
        people_nhs,
        people_self_funded,
        coalesce(people_council, 0) + coalesce(people_nhs, 0) + coalesce(people_self_funded, 0)
            as people_supported,
        hours_delivered * 12 / 52 as hours_per_week,
        can_take_more_hours,
        case when can_take_more_hours then coalesce(extra_hours_available, 0) else 0 end
            as extra_hours_per_week
    from main.home_care_returns
    where superseded_at is null
      and period >= (select home_care_from from recent_months)
    qualify row_number() over (partition by location_id order by period desc) = 1
),

final as (
    select
        r.location_id,
        r.location_name,
        r.provider_id,
        r.provider_name,
        r.brand_id,
        r.brand_name,
        r.service_kind,
        care_category(r.service_kind, r.nursing, r.dementia) as care_category,
        r.local_authority,
        r.icb_code,
        r.icb_name,
        r.latitude,
        r.longitude,
        l.latest_overall_rating,
        k.rag,
        coalesce(ch.period, hc.period) as return_period,
        coalesce(ch.residents_council, hc.people_council) as people_council,
        coalesce(ch.residents_nhs, hc.people_nhs) as people_nhs,
        coalesce(ch.residents_self_funded, hc.people_self_funded) as people_self_funded,
        ch.residents_other_councils as people_other_councils,
        coalesce(ch.occupied_beds, hc.people_supported) as people,
        ch.vacant_beds_accepting,
        ch.accepting_admissions,
        hc.hours_per_week,
        hc.can_take_more_hours,
        hc.extra_hours_per_week
    from registered as r
    left join latest_rating as l using (location_id)
    left join mart.risk_current as k using (location_id)
    left join latest_care_home as ch using (location_id)
    left join latest_home_care as hc using (location_id)
)

select * from final
