-- Whether a mart view exists (marts built by a newer job may not be in an older copy).
-- params: name
select count(*) > 0
from information_schema.tables
where table_schema = 'mart' and table_name = $name
