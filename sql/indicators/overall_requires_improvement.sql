-- Quality: the latest CQC overall rating on or before $as_of is Requires improvement.
-- params: overall_requires_improvement_domain, overall_requires_improvement_points
-- reads: stage_locations, stage_ratings
with rated as (
    select l.location_id, r.overall, r.overall_date
    from stage_locations as l
    join stage_ratings as r using (location_id)
    where r.overall = 'Requires improvement'
),

final as (
    select
        location_id,
        'overall_requires_improvement' as flag,
        $overall_requires_improvement_domain as domain,
        $overall_requires_improvement_points as points,
        cast(null as double) as value,
        cast(null as double) as threshold,
        json_object('rating', overall, 'report_date', overall_date, 'source', 'cqc_ratings') as evidence,
        format('CQC rated it Requires improvement overall on {}', long_date(overall_date)) as message
    from rated
)

select * from final
