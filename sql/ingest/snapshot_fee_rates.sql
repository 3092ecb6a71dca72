-- The date each file of this load describes: its latest effective_from among the rows loaded.
select file_no, max(effective_from)
from stage_checked
where not broken
group by file_no
