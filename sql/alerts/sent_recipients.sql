-- Recipients who already have the week's e-mail.
-- params: iso_week
select recipient
from main.alert_send_log
where iso_week = $iso_week
