-- Rows of a mart where a column that must always hold a value is empty.
-- {mart} and {column} are identifiers from the mart's YAML, checked against its columns and quoted.
select *
from mart.{mart}
where {column} is null
