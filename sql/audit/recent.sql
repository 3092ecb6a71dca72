-- The newest audit rows, for the app's audit page and for tests.
-- params: limit
select seq, logged_at, actor, action, target, detail::varchar as detail
from audit_log
order by seq desc nulls first, logged_at desc
limit $limit
