-- Home-care figures for the market from the latest month of home-care returns on or before $as_of,
-- so that two calls give "the latest month" and "the month before". A null filter means "any".
-- Grain: one row (all nulls but the counts while no home-care return is loaded).
-- params: as_of, local_authority, icb_name, service_kind
with located as (
    select location_id
    from mart.register
    where registered_on(registration_date, deregistration_date, $as_of)
      and in_market_filter(local_authority, icb_name, service_kind, $local_authority, $icb_name, $service_kind)
),

returned_month as (
    select max(period) as period from mart.home_care_returns where period <= $as_of
),

returned as (
    select r.hours_delivered, r.people_supported, r.packages_handed_back, r.can_take_more_hours,
           r.extra_hours_available
    from mart.home_care_returns as r
    where r.period = (select period from returned_month)
      and r.location_id in (select location_id from located)
),

final as (
    select
        (select period from returned_month) as period,
        count(*) as agencies_returned,
        sum(hours_delivered) as hours_delivered,
        sum(people_supported) as people_supported,
        sum(packages_handed_back) as packages_handed_back,
        count(*) filter (where can_take_more_hours) as agencies_with_spare_capacity,
        coalesce(sum(extra_hours_available) filter (where can_take_more_hours), 0) as spare_hours_a_week
    from returned
)

select * from final
