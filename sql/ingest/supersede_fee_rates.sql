-- A rate given again (same location or provider, category, funder and start) replaces the earlier one.
delete from fee_rates as f
using stage_loaded as s
where f.location_id is not distinct from s.location_id
  and f.provider_id is not distinct from s.provider_id
  and f.care_category = s.care_category
  and f.funder is not distinct from s.funder
  and f.effective_from = s.effective_from
