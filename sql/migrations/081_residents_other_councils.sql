-- Other councils' placements (issue 21): residents of a care home placed and funded by other
-- councils, an optional column of the care-home return (data_contracts/care_home_returns.yml).
-- Returns loaded before, and returns sent without the column, hold null: not known.
alter table care_home_returns add column residents_other_councils integer;
