-- Quality: at the latest rated overall report on or before $as_of, at least
-- $key_questions_poor_min_count of the five key questions (safe, effective, caring, responsive,
-- well-led) rated Requires improvement or Inadequate. Whatever the overall rating: a Good home with
-- two weak key questions is near the line. Value is the count, threshold the minimum.
-- Grain: one row per location with that many poor key questions at its latest report.
-- params: poor_ratings, key_questions_poor_domain, key_questions_poor_points, key_questions_poor_min_count
-- reads: stage_locations, stage_ratings
with poor as (
    select
        l.location_id,
        r.overall,
        r.overall_date,
        list(k.key_question order by k.key_question) as key_questions
    from stage_locations as l
    join stage_ratings as r using (location_id)
    join main.cqc_ratings as k
        on k.location_id = l.location_id
       and k.report_date = r.overall_date
       and k.key_question <> 'overall'
       and list_contains($poor_ratings, k.rating)  -- vocab.POOR_RATINGS
    group by all
),

final as (
    select
        location_id,
        'key_questions_poor' as flag,
        $key_questions_poor_domain as domain,
        $key_questions_poor_points as points,
        cast(len(key_questions) as double) as value,
        cast($key_questions_poor_min_count as double) as threshold,
        json_object('overall', overall, 'report_date', overall_date, 'key_questions', key_questions,
                    'source', 'cqc_ratings') as evidence,
        format('{} of five key questions rated Requires improvement or Inadequate on {} ({})',
               len(key_questions), long_date(overall_date),
               array_to_string(list_transform(key_questions, lambda q: replace(q, '_', '-')), ', ')) as message
    from poor
    where len(key_questions) >= $key_questions_poor_min_count
)

select * from final
