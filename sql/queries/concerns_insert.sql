-- params: location_id, provider_id, opened_on, lead_officer, agencies, opened_by
insert into concerns (location_id, provider_id, opened_on, lead_officer, agencies, opened_by)
values ($location_id, $provider_id, $opened_on, $lead_officer, $agencies, $opened_by)
returning cast(concern_id as varchar)
