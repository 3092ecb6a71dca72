-- Quality: the latest CQC overall rating on or before $as_of is Inadequate.
-- params: overall_inadequate_domain, overall_inadequate_points
-- reads: stage_locations, stage_ratings
with rated as (
    select l.location_id, r.overall, r.overall_date
    from stage_locations as l
    join stage_ratings as r using (location_id)
    where r.overall = 'Inadequate'
),

final as (
    select
        location_id,
        'overall_inadequate' as flag,
        $overall_inadequate_domain as domain,
        $overall_inadequate_points as points,
        cast(null as double) as value,
        cast(null as double) as threshold,
        json_object('rating', overall, 'report_date', overall_date, 'source', 'cqc_ratings') as evidence,
        format('CQC rated it Inadequate overall on {}', long_date(overall_date)) as message
    from rated
)

select * from final
