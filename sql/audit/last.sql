-- The newest chained row of the audit log: where the next row is chained on.
select seq, row_hash
from audit_log
where seq is not null
order by seq desc
limit 1
