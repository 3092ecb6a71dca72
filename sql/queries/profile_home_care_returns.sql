-- A home-care agency's monthly returns, oldest first.
-- params: location_id
select
    period, people_supported, hours_delivered, agency_share, vacancies, leavers,
    packages_handed_back, packages_handed_back_pct, missed_visits, can_take_more_hours,
    submitted_at, versions
from mart.home_care_returns
where location_id = $location_id
order by period
