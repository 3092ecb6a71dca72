-- Every audit row in chain order, unchained rows (seq null) last, as the hash was computed.
select seq, prev_hash, row_hash, logged_at, actor, action, target, detail::varchar as detail
from audit_log
order by seq nulls last, logged_at
