-- The month each file of this load describes: its latest period among the rows loaded.
select file_no, max(period)
from stage_checked
where not broken
group by file_no
