-- Likelihood, impact and computed RAG for every location scored at the as-of date: each score is
-- the sum of its flags' stored points (stage_scaled_flags), so it decomposes exactly into them.
-- RAG comes from the likelihood band x impact band matrix in thresholds.toml.
-- Grain: one row per location.
with totals as (
    select
        location_id,
        round(coalesce(sum(points) filter (where domain <> 'impact'), 0), 2) as likelihood,
        round(coalesce(sum(points) filter (where domain = 'impact'), 0), 2) as impact,
        -- highest points first, then by name: each flag is sorted as one integer, points (2 decimal
        -- places, at most the cap) in its high digits and the flag's place in $flag_names (sorted
        -- by name) in the low ones; sorting short integer lists is far cheaper than sorting names
        list_transform(
            list_sort(list(cast(round((1000 - points) * 100) as bigint) * 1000
                           + list_position($flag_names, flag))),
            lambda key: $flag_names[key % 1000]) as flags
    from stage_scaled_flags
    group by location_id
),

scored as (
    select
        l.location_id,
        coalesce(t.likelihood, 0) as likelihood,
        coalesce(t.impact, 0) as impact,
        coalesce(t.flags, cast([] as varchar[])) as flags,
        r.overall as overall_rating
    from stage_locations as l
    left join totals as t using (location_id)
    left join stage_ratings as r using (location_id)
),

banded as (
    select
        *,
        case when likelihood >= $likelihood_red then 2 when likelihood >= $likelihood_amber then 1 else 0 end
            as likelihood_band,
        case when impact >= $impact_high then 2 when impact >= $impact_medium then 1 else 0 end
            as impact_band
    from scored
),

final as (
    select
        location_id,
        likelihood,
        impact,
        $rag_matrix[likelihood_band * 3 + impact_band + 1] as computed_rag,
        flags,
        overall_rating
    from banded
)

select * from final
