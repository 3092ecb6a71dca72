-- Rows that broke at least one rule, stored whole as read.
insert into quarantine (batch_id, dataset, row_number, location_id, provider_id, raw, rules, messages)
select batch_id, dataset, row_number, location_id, provider_id, raw::json, rules, messages
from staged_quarantine
