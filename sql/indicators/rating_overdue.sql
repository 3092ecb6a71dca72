-- Quality: months since the latest rated overall report on or before $as_of, in bands (a location
-- never rated is never_rated's). The longer a rating stands, the nearer CQC's next inspection, and the
-- real rating histories show the next report is when a fall is found (docs/risk.md). Raised from
-- the first band on: $rating_overdue_bands holds each band's first month, ascending, and
-- $rating_overdue_band_points the points of each band (fitted by `market-oversight calibrate`).
-- Value is the age in months, threshold the first month of its band.
-- Grain: one row per rated location at least $rating_overdue_bands[1] months past its latest rating.
with since as (
    select
        l.location_id,
        r.overall,
        r.overall_date as since
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

banded as (
    select
        *,
        len(list_filter($rating_overdue_bands, lambda first_month: first_month <= age_months)) as band
    from aged
),

final as (
    select
        location_id,
        'rating_overdue' as flag,
        $rating_overdue_domain as domain,
        cast($rating_overdue_band_points[band] as double) as points,
        cast(age_months as double) as value,
        cast($rating_overdue_bands[band] as double) as threshold,
        json_object('rating', overall, 'since', since, 'age_months', age_months,
                    'band', band, 'band_from_months', $rating_overdue_bands[band],
                    'band_to_months', $rating_overdue_bands[band + 1], 'source', 'cqc_ratings') as evidence,
        format('{} rating is {} months old (since {})', overall, age_months, long_date(since)) as message
    from banded
    where band >= 1
)

select * from final
