-- Quality: the latest overall rating is older than the council's re-inspection expectation for that
-- rating, or the location has been registered that long with no rating at all. Value and threshold
-- are in months.
with expected as (
    select
        l.location_id,
        r.overall,
        coalesce(r.overall_date, l.registration_date) as since,
        case
            when r.overall = 'Inadequate' then $rating_overdue_inadequate_months
            when r.overall = 'Requires improvement' then $rating_overdue_requires_improvement_months
            when r.overall in ('Good', 'Outstanding') then $rating_overdue_good_months
            else $rating_overdue_unrated_months
        end as allowed_months
    from stage_locations as l
    left join stage_ratings as r using (location_id)
),

aged as (
    select
        *,
        date_diff('month', since, cast($as_of as date))
            - case when day(cast($as_of as date)) < day(since) then 1 else 0 end as age_months
    from expected
    where since is not null
),

final as (
    select
        location_id,
        'rating_overdue' as flag,
        $rating_overdue_domain as domain,
        $rating_overdue_points as points,
        cast(age_months as double) as value,
        cast(allowed_months as double) as threshold,
        json_object('rating', coalesce(overall, 'none'), 'since', since, 'age_months', age_months,
                    'expected_within_months', allowed_months, 'source', 'cqc_ratings') as evidence,
        case when overall is null
            then format('No CQC rating in {} months since registration on {}', age_months, long_date(since))
            else format('{} rating is {} months old (re-inspection expected within {})',
                        overall, age_months, allowed_months)
        end as message
    from aged
    where age_months > allowed_months
)

select * from final
