-- Quality: rated Good or Outstanding overall at the latest report on or before $as_of, after an
-- earlier overall rating of Requires improvement or Inadequate: a recovery that may not hold.
-- Evidence: the latest of those earlier poor ratings.
-- Grain: one row per location now rated Good or Outstanding with a poor rating before.
-- params: poor_ratings, rated_poor_before_domain, rated_poor_before_points
-- reads: stage_locations, stage_ratings
with earlier as (
    select
        l.location_id,
        r.overall,
        r.overall_date,
        arg_max(struct_pack(rating := k.rating, report_date := k.report_date), k.report_date) as poor
    from stage_locations as l
    join stage_ratings as r using (location_id)
    join main.cqc_ratings as k
        on k.location_id = l.location_id
       and k.key_question = 'overall'
       and k.report_date < r.overall_date
       and list_contains($poor_ratings, k.rating)  -- vocab.POOR_RATINGS
    where not list_contains($poor_ratings, r.overall)
    group by all
),

final as (
    select
        location_id,
        'rated_poor_before' as flag,
        $rated_poor_before_domain as domain,
        $rated_poor_before_points as points,
        cast(null as double) as value,
        cast(null as double) as threshold,
        json_object('rating', overall, 'report_date', overall_date, 'earlier_rating', poor.rating,
                    'earlier_report_date', poor.report_date, 'source', 'cqc_ratings') as evidence,
        format('Rated {} on {}, after {} on {}', overall, long_date(overall_date), poor.rating,
               long_date(poor.report_date)) as message
    from earlier
)

select * from final
