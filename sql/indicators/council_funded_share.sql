-- Impact: council-funded residents or people as a share of all, in the latest return of the last
-- 3 months, reach $council_funded_share_threshold. Points are the share times the points.
-- params: council_funded_share_domain, council_funded_share_points, council_funded_share_threshold
-- reads: stage_return_summary
with latest as (
    select location_id, funding_3m.period, funding_3m.people_council, funding_3m.people
    from stage_return_summary
    where funding_3m is not null
),

final as (
    select
        location_id,
        'council_funded_share' as flag,
        $council_funded_share_domain as domain,
        $council_funded_share_points * people_council / people as points,
        round(people_council / people, 6) as value,
        cast($council_funded_share_threshold as double) as threshold,
        json_object('period', period, 'council_funded', people_council, 'people', people,
                    'source', 'provider returns') as evidence,
        format('{} of {} people ({:.0f}%) are council-funded', people_council, people,
               100 * people_council / people) as message
    from latest
    where round(people_council / people, 6) >= $council_funded_share_threshold
)

select * from final
