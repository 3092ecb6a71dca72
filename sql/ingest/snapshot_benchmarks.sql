-- Benchmarks describe financial years, not a date: no snapshot date.
select file_no, cast(null as date)
from stage_checked
where false
