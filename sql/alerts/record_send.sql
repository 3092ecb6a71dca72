-- Written only after the SMTP server accepted the message.
-- params: iso_week, recipient, sent_at, message_id, items
insert into main.alert_send_log (iso_week, recipient, sent_at, message_id, items)
values ($iso_week, $recipient, $sent_at, $message_id, $items)
