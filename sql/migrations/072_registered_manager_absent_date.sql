-- Since when CQC has recorded a location's registered manager absent (the API's
-- registeredManagerAbsentDate, dd/mm/yyyy): no_registered_manager is raised from that date on,
-- which gives the indicator a history. Null when CQC records none (a manager in post, or a source
-- such as the bulk file that does not carry the date). Locations loaded before this migration have
-- none until their next CQC load.
alter table cqc_locations add column registered_manager_absent_date date;
