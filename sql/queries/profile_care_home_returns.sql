-- A care home's monthly returns, oldest first.
-- params: location_id
select
    period, beds, occupied_beds, occupancy_rate, agency_share, staff_vacancies, leavers,
    safeguarding_concerns, complaints, accepting_admissions, submitted_at, versions
from mart.care_home_returns
where location_id = $location_id
order by period
