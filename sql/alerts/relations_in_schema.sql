-- Tables and views in a schema (to tell whether an optional mart has been built yet).
-- params: schema
select table_name
from information_schema.tables
where table_schema = $schema
