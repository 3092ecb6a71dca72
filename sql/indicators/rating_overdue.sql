-- Quality: the age of the latest rated overall report on or before $as_of (a location never rated is
-- never_rated's). The longer a rating stands, the nearer CQC's next inspection, and the real rating
-- histories show the next report is when a fall is found (docs/risk.md). Raised from
-- $rating_overdue_from_months; the points grow with the age, $rating_overdue_per_year_<part> points a
-- year up to $rating_overdue_max_months, the part being the rating (good = Good or Outstanding,
-- requires_improvement, inadequate), since CQC returns sooner to a poorly rated service. A graded
-- flag: its points per year are fitted by `market-oversight calibrate` (one feature per part).
-- Value is the age in months, threshold $rating_overdue_from_months.
-- Grain: one row per rated location at least $rating_overdue_from_months months past its latest rating.
-- params: as_of, rating_overdue_per_year_inadequate, rating_overdue_per_year_requires_improvement, rating_overdue_per_year_good, rating_overdue_max_months, rating_overdue_from_months, rating_overdue_domain
-- reads: stage_locations, stage_ratings
with since as (
    select
        l.location_id,
        r.overall,
        r.overall_date as since,
        case r.overall
            when 'Inadequate' then 'inadequate'
            when 'Requires improvement' then 'requires_improvement'
            else 'good'
        end as part
    from stage_locations as l
    join stage_ratings as r using (location_id)
),

aged as (
    select
        *,
        date_diff('month', since, cast($as_of as date))
            - case when day(cast($as_of as date)) < day(since) then 1 else 0 end as age_months
    from since
    where since is not null
),

graded as (
    select
        *,
        case part
            when 'inadequate' then $rating_overdue_per_year_inadequate
            when 'requires_improvement' then $rating_overdue_per_year_requires_improvement
            else $rating_overdue_per_year_good
        end as per_year,
        least(age_months, $rating_overdue_max_months) / 12 as years
    from aged
    where age_months >= $rating_overdue_from_months
),

final as (
    select
        location_id,
        'rating_overdue' as flag,
        $rating_overdue_domain as domain,
        round(cast(per_year * years as double), 2) as points,
        cast(age_months as double) as value,
        cast($rating_overdue_from_months as double) as threshold,
        json_object('rating', overall, 'since', since, 'age_months', age_months, 'part', part,
                    'points_per_year', per_year, 'source', 'cqc_ratings') as evidence,
        format('{} rating is {} months old (since {})', overall, age_months, long_date(since)) as message
    from graded
)

select * from final
