-- Quality: registered at least $never_rated_months months before $as_of with no rated overall
-- report by then. A first rating can be Inadequate (an 'inadequate' event) but not a downgrade.
-- Value is the months since registration, threshold $never_rated_months.
-- Grain: one row per location registered that long and never rated.
-- params: as_of, never_rated_domain, never_rated_points, never_rated_months
-- reads: stage_locations, stage_ratings
with unrated as (
    select l.location_id, l.registration_date
    from stage_locations as l
    left join stage_ratings as r using (location_id)
    where r.overall is null
      and l.registration_date is not null
),

aged as (
    select
        *,
        date_diff('month', registration_date, cast($as_of as date))
            - case when day(cast($as_of as date)) < day(registration_date) then 1 else 0 end as age_months
    from unrated
),

final as (
    select
        location_id,
        'never_rated' as flag,
        $never_rated_domain as domain,
        $never_rated_points as points,
        cast(age_months as double) as value,
        cast($never_rated_months as double) as threshold,
        json_object('registered', registration_date, 'age_months', age_months, 'source', 'cqc_ratings') as evidence,
        format('No CQC rating in {} months since registration on {}', age_months, long_date(registration_date)) as message
    from aged
    where age_months >= $never_rated_months
)

select * from final
