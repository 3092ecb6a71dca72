-- Headline figures for the market at one date, so that two calls give "now" and "a month ago".
-- A null filter parameter means "any".
-- params: as_of, local_authority, icb_name, service_kind, good_ratings
with located as (
    select location_id, beds, service_kind
    from mart.register
    where registered_on(registration_date, deregistration_date, $as_of)
      and in_market_filter(local_authority, icb_name, service_kind, $local_authority, $icb_name, $service_kind)
),

rated as (
    select location_id, arg_max(rating, report_date) as rating
    from mart.ratings
    where key_question = 'overall'
      and report_date <= $as_of
      and location_id in (select location_id from located)
    group by location_id
),

scored_on as (
    select max(as_of) as as_of from mart.risk_history where as_of <= $as_of
),

scored as (
    select h.location_id, h.rag
    from mart.risk_history as h
    where h.as_of = (select as_of from scored_on)
      and h.location_id in (select location_id from located)
),

returned_month as (
    select max(period) as period from mart.care_home_returns where period <= $as_of
),

occupancy as (
    select sum(r.occupied_beds) as occupied_beds, sum(r.beds) as return_beds
    from mart.care_home_returns as r
    where r.period = (select period from returned_month)
      and r.location_id in (select location_id from located)
),

final as (
    select
        (select count(*) from located) as locations,
        (select sum(beds) from located) as beds,
        (select occupied_beds / nullif(return_beds, 0) from occupancy) as occupancy_rate,
        (select period from returned_month) as occupancy_month,
        (select count(*) filter (where list_contains($good_ratings, rating))
                / nullif(count(*) filter (where rating <> 'Not rated'), 0) from rated) as good_or_better_share,
        case when (select as_of from scored_on) is not null
             then (select count(*) filter (where rag = 'red') from scored) end as red,
        case when (select as_of from scored_on) is not null
             then (select count(*) filter (where rag = 'amber') from scored) end as amber,
        (select as_of from scored_on) as scored_on
)

select * from final
