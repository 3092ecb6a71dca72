-- What a placement suspension stops (vocab.SUSPENSION_SCOPES): full, partial (for the care
-- categories listed), voluntary, or joint with the ICB; and when it is next reviewed. Rows written
-- before keep what they were: full, no categories, no review date (audit.ADDED_COLUMNS leaves these
-- values out of a row's seal, so their seals still hold).
alter table placement_suspensions add column scope varchar default 'full';
alter table placement_suspensions add column categories varchar[];
alter table placement_suspensions add column review_on date;
