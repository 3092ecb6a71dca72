-- Quality: the latest Safe or Well-led rating on or before $as_of is Requires improvement or Inadequate.
-- params: poor_ratings, safe_or_well_led_poor_domain, safe_or_well_led_poor_points
-- reads: stage_locations, stage_ratings
with poor as (
    select l.location_id, r.safe, r.safe_date, r.well_led, r.well_led_date
    from stage_locations as l
    join stage_ratings as r using (location_id)
    where list_contains($poor_ratings, r.safe)
       or list_contains($poor_ratings, r.well_led)
),

final as (
    select
        location_id,
        'safe_or_well_led_poor' as flag,
        $safe_or_well_led_poor_domain as domain,
        $safe_or_well_led_poor_points as points,
        cast(null as double) as value,
        cast(null as double) as threshold,
        json_object('safe', safe, 'safe_date', safe_date, 'well_led', well_led,
                    'well_led_date', well_led_date, 'source', 'cqc_ratings') as evidence,
        format('Safe rated {}, Well-led rated {}', coalesce(safe, 'not rated'),
               coalesce(well_led, 'not rated')) as message
    from poor
)

select * from final
