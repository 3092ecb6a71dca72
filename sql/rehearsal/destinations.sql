-- Where the people of the services in a rehearsal could go: every other registered service of the
-- same care category with room (vacant beds accepting admissions, or spare home-care hours a week)
-- within $within_km of one of them, as the crow flies (haversine, mean Earth radius 6371.0088 km),
-- whose RAG in force is one of $destination_rags (or not yet scored). Nearest first, then the
-- better RAG ($destination_rags is best first), then the better rating ($ratings_worst_first).
-- Read from `rehearsal_capacity` (capacity.sql, bound by market_oversight.rehearsal.plan).
-- Grain: one row per service in the rehearsal and destination within reach of it.
-- params: failing_ids, destination_rags, within_km, ratings_worst_first
with failing as (
    select location_id, care_category, latitude, longitude
    from rehearsal_capacity
    where list_contains($failing_ids, location_id)
      and latitude is not null and longitude is not null
),

open_services as (
    select
        location_id,
        location_name,
        provider_name,
        care_category,
        local_authority,
        latitude,
        longitude,
        rag,
        latest_overall_rating,
        case when service_kind = 'care_home' then vacant_beds_accepting else extra_hours_per_week end
            as room
    from rehearsal_capacity
    where not list_contains($failing_ids, location_id)
      and (rag is null or list_contains($destination_rags, rag))
      and latitude is not null and longitude is not null
),

pairs as (
    select
        f.location_id as from_location_id,
        o.*,
        2 * 6371.0088 * asin(sqrt(
            pow(sin(radians(o.latitude - f.latitude) / 2), 2)
            + cos(radians(f.latitude)) * cos(radians(o.latitude))
              * pow(sin(radians(o.longitude - f.longitude) / 2), 2)
        )) as distance_km
    from failing as f
    join open_services as o
        on o.care_category = f.care_category
       -- a degree of latitude is at least 110.5 km: a cheap band before the haversine
       and abs(o.latitude - f.latitude) <= $within_km / 110.5
    where o.room > 0
),

final as (
    select
        from_location_id,
        location_id,
        location_name,
        provider_name,
        care_category,
        local_authority,
        rag,
        latest_overall_rating,
        room,
        distance_km
    from pairs
    where distance_km <= $within_km
)

select * from final
order by
    distance_km,
    coalesce(list_position($destination_rags, rag), len($destination_rags) + 1),
    coalesce(list_position($ratings_worst_first, latest_overall_rating), 0) desc,
    location_id,
    from_location_id
