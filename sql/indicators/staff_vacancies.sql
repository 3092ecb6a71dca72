-- Sustainability: vacancies / (staff employed + vacancies) in the latest return of the last 3 months
-- reach $staff_vacancies_threshold.
-- params: staff_vacancies_domain, staff_vacancies_points, staff_vacancies_threshold
-- reads: stage_return_summary
with latest as (
    select location_id, vacancies_3m.period, vacancies_3m.staff_vacancies, vacancies_3m.staff_employed
    from stage_return_summary
    where vacancies_3m is not null
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
