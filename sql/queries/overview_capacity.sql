-- Capacity and occupancy by area and kind of service, from the register and the latest returns.
-- params: local_authority, icb_name, service_kind
with located as (
    select location_id, local_authority, icb_name, service_kind, beds
    from mart.register
    where is_active
      and in_market_filter(local_authority, icb_name, service_kind, $local_authority, $icb_name, $service_kind)
),

latest_month as (
    select max(period) as period from mart.care_home_returns
),

returned as (
    select location_id, occupied_beds, beds as return_beds
    from mart.care_home_returns
    where period = (select period from latest_month)
),

final as (
    select
        l.local_authority,
        l.icb_name,
        l.service_kind,
        count(*) as locations,
        cast(sum(l.beds) as bigint) as registered_beds,
        cast(sum(r.occupied_beds) as bigint) as occupied_beds,
        sum(r.occupied_beds) / nullif(sum(r.return_beds), 0) as occupancy_rate,
        count(r.location_id) as homes_returned,
        any_value((select period from latest_month)) as returns_month
    from located as l
    left join returned as r using (location_id)
    group by l.local_authority, l.icb_name, l.service_kind
)

select * from final
order by local_authority, icb_name, service_kind
