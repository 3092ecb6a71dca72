-- Weekly alert e-mails: which week's e-mail each recipient has had. A row is written only after the
-- SMTP server accepted the message, so a refused or failed delivery is tried again on the next run.

-- One row per ISO week and recipient.
create table alert_send_log (
    iso_week varchar not null,               -- e.g. 2026-W47
    recipient varchar not null,              -- lower-cased e-mail address
    sent_at timestamp not null,              -- when the SMTP server accepted the message
    message_id varchar not null,             -- the Message-ID header sent
    items integer not null,                  -- changes in the e-mail (0 for an all-clear)
    primary key (iso_week, recipient)
);
