-- Quality: the overall rating at the latest report (on or before $as_of) is lower than at the one before.
-- params: ratings_worst_first, rating_downgrade_domain, rating_downgrade_points
-- reads: stage_locations, stage_ratings
with ranks as (
    select rating, list_position($ratings_worst_first, rating) as rank  -- vocab.RATING_RANK
    from (select unnest($ratings_worst_first) as rating)
),

downgraded as (
    select l.location_id, r.overall, r.overall_date, r.previous_overall, r.previous_overall_date,
        now_rank.rank as now_rank, before_rank.rank as before_rank
    from stage_locations as l
    join stage_ratings as r using (location_id)
    join ranks as now_rank on now_rank.rating = r.overall
    join ranks as before_rank on before_rank.rating = r.previous_overall
    where now_rank.rank < before_rank.rank
),

final as (
    select
        location_id,
        'rating_downgrade' as flag,
        $rating_downgrade_domain as domain,
        $rating_downgrade_points as points,
        cast(before_rank - now_rank as double) as value,
        cast(null as double) as threshold,
        json_object('from', previous_overall, 'from_date', previous_overall_date,
                    'to', overall, 'to_date', overall_date, 'source', 'cqc_ratings') as evidence,
        format('Overall rating fell from {} ({}) to {} ({})',
               previous_overall, long_date(previous_overall_date), overall, long_date(overall_date)) as message
    from downgraded
)

select * from final
