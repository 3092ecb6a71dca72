-- The rates of this load that broke no contract rule; of the same rate given in two files of one
-- load, the later file's.
insert into fee_rates (location_id, provider_id, care_category, amount, unit, effective_from,
                       effective_to, funder, batch_id, row_number)
select location_id, provider_id, care_category, amount, unit, effective_from, effective_to, funder,
       batch_id, row_number
from stage_loaded
qualify row_number() over (
    partition by location_id, provider_id, care_category, funder, effective_from
    order by file_no desc) = 1
