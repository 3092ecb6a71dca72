-- Publish the audit chain's head (last row and its hash) into the warehouse at every job, so that
-- the serving copy and the analysts' snapshot carry it outside the casework file: rows cut off the
-- end of the log, or a rewritten log, no longer contain a head published earlier (audit.verify_chain).
insert into casework_mirror.audit_heads (published_at, seq, row_hash)
select cast(current_timestamp as timestamp), seq, row_hash
from casework.main.audit_log
where seq = (select max(seq) from casework.main.audit_log)
  and not exists (select 1 from casework_mirror.audit_heads as h
                  where h.seq = audit_log.seq and h.row_hash = audit_log.row_hash)
