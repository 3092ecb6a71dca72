-- Whether this identity token's sign-in is already in the audit log (a browser refresh keeps the
-- token, so it is one sign-in, not a new one).
-- params: actor, target
select count(*) > 0
from audit_log
where action = 'sign_in'
  and actor = $actor
  and target = $target
