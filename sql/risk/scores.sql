-- Likelihood, impact and computed RAG for every location scored at the as-of date: each score is
-- the sum of its flags' stored points (stage_scaled_flags), so it decomposes exactly into them.
-- RAG comes from the likelihood band x impact band matrix in thresholds.toml, capped by rank: a
-- location is red only when at most $red_max_share of the locations scored score as high or higher
-- (red or amber: $red_amber_max_share; a tie is all in or all out), then the hard floors
-- ($red_floors): an overall Inadequate rating, or a placement suspension in force at $as_of, is red
-- whatever the score (a person's override still applies over the computed RAG).
-- Impact is null, "not known", when the location's size is not known (stage_impact_size): its impact
-- flags are still kept, with their evidence, but a partial sum would read as a small impact.
-- Grain: one row per location.
-- params: flag_names, as_of, likelihood_red, red_max_share, likelihood_amber, red_amber_max_share, impact_high, impact_medium, red_floors, rag_matrix
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

suspended as (
    select distinct location_id
    from casework_mirror.placement_suspensions
    where imposed_on <= $as_of
      and (lifted_on is null or lifted_on > $as_of)
),

scored as (
    select
        l.location_id,
        coalesce(t.likelihood, 0) as likelihood,
        case when z.size is not null then coalesce(t.impact, 0) end as impact,
        coalesce(t.flags, cast([] as varchar[])) as flags,
        r.overall as overall_rating,
        p.location_id is not null as suspended
    from stage_locations as l
    left join totals as t using (location_id)
    left join stage_ratings as r using (location_id)
    left join suspended as p using (location_id)
    left join stage_impact_size as z using (location_id)
),

ranked as (
    select
        *,
        cume_dist() over (order by likelihood desc) as share_as_high
    from scored
),

banded as (
    select
        *,
        case
            when likelihood >= $likelihood_red and share_as_high <= $red_max_share then 2
            when likelihood >= $likelihood_amber and share_as_high <= $red_amber_max_share then 1
            else 0
        end as likelihood_band,
        -- not known counts as the lowest band; the matrix rows are one colour each (likelihood alone)
        case when impact >= $impact_high then 2 when impact >= $impact_medium then 1 else 0 end
            as impact_band
    from ranked
),

final as (
    select
        location_id,
        likelihood,
        impact,
        case
            when list_contains($red_floors, 'overall_inadequate') and overall_rating = 'Inadequate' then 'red'
            when list_contains($red_floors, 'placement_suspension') and suspended then 'red'
            else $rag_matrix[likelihood_band * 3 + impact_band + 1]
        end as computed_rag,
        flags,
        overall_rating
    from banded
)

select * from final
