-- Every head of the audit chain that a job published into the warehouse, oldest first.
select published_at, seq, row_hash
from casework_mirror.audit_heads
order by published_at, seq
