-- Sustainability: vacancies / (staff employed + vacancies) in the latest return of the last 3 months
-- reach $staff_vacancies_threshold.
with latest as (
    select r.location_id, r.period, r.staff_vacancies, r.staff_employed
    from stage_locations as l
    join stage_returns as r using (location_id)
    where r.months_ago between 1 and 3 and r.staff_vacancies is not null
      and r.staff_employed + r.staff_vacancies > 0
    qualify row_number() over (partition by r.location_id order by r.period desc) = 1
),

final as (
    select
        location_id,
        'staff_vacancies' as flag,
        $staff_vacancies_domain as domain,
        $staff_vacancies_points as points,
        round(staff_vacancies / (staff_employed + staff_vacancies), 6) as value,
        cast($staff_vacancies_threshold as double) as threshold,
        json_object('period', period, 'vacancies', staff_vacancies, 'staff_employed', staff_employed,
                    'source', 'provider returns') as evidence,
        format('{} staff vacancies against {} employed ({:.0f}%) in {}', staff_vacancies, staff_employed,
               100 * staff_vacancies / (staff_employed + staff_vacancies),
               strftime(period, '%B %Y')) as message
    from latest
    where round(staff_vacancies / (staff_employed + staff_vacancies), 6) >= $staff_vacancies_threshold
)

select * from final
