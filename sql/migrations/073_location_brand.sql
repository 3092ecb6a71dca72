-- The brand (group) a location belongs to, as CQC records it (the API's brandId and brandName, the
-- bulk files' Brand ID and Brand Name): several providers of one group share a brand, which
-- group_stress counts as it counts a provider's locations. Null where CQC records none, or the
-- source does not carry it.
alter table cqc_locations add column brand_id varchar;
alter table cqc_locations add column brand_name varchar;
