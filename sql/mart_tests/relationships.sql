-- Values of a mart column that name no row of the mart it refers to (e.g. a location_id that no
-- location has). Identifiers come from the marts' YAML, checked against their columns and quoted.
select distinct child.{column} as value
from mart.{mart} as child
anti join mart.{parent} as parent on child.{column} = parent.{parent_column}
where child.{column} is not null
