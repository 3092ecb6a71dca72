-- Written only after the SMTP server accepted the message.
insert into main.alert_send_log (iso_week, recipient, sent_at, message_id, items)
values ($iso_week, $recipient, $sent_at, $message_id, $items)
