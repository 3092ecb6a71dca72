-- Rows of a mart that share one value of its key: the grain broken.
-- {mart} and {key} are identifiers from the mart's YAML, checked against its columns and quoted.
select {key}, count(*) as rows_sharing_key
from mart.{mart}
group by {key}
having count(*) > 1
