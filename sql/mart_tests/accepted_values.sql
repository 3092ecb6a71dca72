-- Values of a mart column outside its vocabulary ($accepted, bound), with how often each occurs.
-- {mart} and {column} are identifiers from the mart's YAML, checked against its columns and quoted.
-- params: accepted
select {column} as value, count(*) as occurrences
from mart.{mart}
where {column} is not null and not list_contains($accepted, cast({column} as varchar))
group by 1
