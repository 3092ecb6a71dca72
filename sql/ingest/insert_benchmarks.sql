-- The benchmarks of this load that broke no contract rule; of the same benchmark given in two
-- files of one load, the later file's.
insert into benchmarks (financial_year, care_category, benchmark, amount, unit, source, batch_id, row_number)
select financial_year, care_category, benchmark, amount, unit, source, batch_id, row_number
from stage_loaded
qualify row_number() over (partition by financial_year, care_category, benchmark order by file_no desc) = 1
