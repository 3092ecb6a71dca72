-- Quality: the council's own latest quality assessment (visit on or before $as_of) is Requires
-- improvement or Inadequate.
-- params: as_of, council_quality_poor_domain, council_quality_poor_points, poor_ratings
-- reads: stage_locations
with latest as (
    select location_id, visit_date, rating, assessor
    from casework_mirror.quality_assessments
    where visit_date <= $as_of
    qualify row_number() over (partition by location_id order by visit_date desc, created_at desc) = 1
),

final as (
    select
        l.location_id,
        'council_quality_poor' as flag,
        $council_quality_poor_domain as domain,
        $council_quality_poor_points as points,
        cast(null as double) as value,
        cast(null as double) as threshold,
        json_object('rating', q.rating, 'visit_date', q.visit_date, 'assessor', q.assessor,
                    'source', 'casework quality_assessments') as evidence,
        format('Council quality visit on {} rated it {}', long_date(q.visit_date), q.rating) as message
    from stage_locations as l
    join latest as q using (location_id)
    where list_contains($poor_ratings, q.rating)
)

select * from final
