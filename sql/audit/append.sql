-- params: logged_at, actor, action, target, detail, seq, prev_hash, row_hash
insert into audit_log (logged_at, actor, action, target, detail, seq, prev_hash, row_hash)
values ($logged_at, $actor, $action, $target, $detail, $seq, $prev_hash, $row_hash)
