"""Who gets what, and delivery exactly once per ISO week and recipient.

The send log (`alert_send_log`, migration 040) gets a row only after the SMTP server has accepted
that recipient's message, in its own transaction; a refused or failed delivery leaves no row, so the
next run (it is safe to run daily) sends it. A crash between the server's acceptance and the log
write would send that one message again next run: the log errs towards a repeat, never a loss.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import duckdb

from market_oversight import store
from market_oversight.alerts.changes import Item, WeekChanges
from market_oversight.alerts.config import AlertSettings, SmtpSettings
from market_oversight.alerts.render import build_message
from market_oversight.errors import AlertDeliveryError


def changes_for(changes: WeekChanges, settings: AlertSettings, recipient: str) -> WeekChanges:
    """The QA team's list gets everything; a route's recipients get the changes its route matches."""
    if recipient in settings.recipients:
        return changes
    routes = [r for r in settings.routes if recipient in r.recipients]

    def wanted(item: Item) -> bool:
        return any(r.matches(item.local_authority, item.service_kind) for r in routes)

    return changes.for_route(wanted)


@dataclass
class Outcome:
    week: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    skipped_all_clear: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"week": self.week, "sent": self.sent, "already_sent": self.already_sent,
                "skipped_all_clear": self.skipped_all_clear, "written": [str(p) for p in self.written],
                "failed": self.failed}


def already_sent(con: duckdb.DuckDBPyConnection, week: str) -> set[str]:
    return {r for (r,) in store.run(con, "alerts/sent_recipients", iso_week=week).fetchall()}


def record_send(con: duckdb.DuckDBPyConnection, week: str, recipient: str, msg: EmailMessage,
                items: int) -> None:
    with store.transaction(con):
        store.run(con, "alerts/record_send", iso_week=week, recipient=recipient, message_id=msg["Message-ID"],
                  items=items, sent_at=datetime.now(timezone.utc).replace(tzinfo=None))


def _safe_name(recipient: str) -> str:
    return re.sub(r"[^a-z0-9@._-]", "_", recipient.lower())


_NOT_WRITTEN = "the dry run stopped there; nothing was sent or marked sent"


def write_outbox(outbox: Path, week: str, recipient: str, msg: EmailMessage) -> Path:
    return store.write_whole(outbox / f"{week}_{_safe_name(recipient)}.eml", bytes(msg), _NOT_WRITTEN)


def write_preview(outbox: Path, stem: str, msg: EmailMessage) -> Path:
    """The HTML part as a file a browser can open, with the inline image saved beside it."""
    html_part = msg.get_body(preferencelist=("html",))
    html = html_part.get_content()
    for part in msg.walk():
        if part.get_content_maintype() == "image":
            cid = part["Content-ID"].strip("<>")
            image = store.write_whole(outbox / f"{stem}.png", part.get_content(), _NOT_WRITTEN)
            html = html.replace(f"cid:{cid}", image.name)
    return store.write_whole(outbox / f"{stem}.html", html.encode("utf-8"), _NOT_WRITTEN)


class Mailer:
    """One SMTP session for a run, opened again after the server drops it (the recipient whose
    delivery failed is left unsent for the next run; the next recipient gets a new connection).
    Every failure becomes AlertDeliveryError."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        self.smtp.password()  # ConfigError before any connection when it is missing
        self._connect()
        return self

    def _connect(self) -> None:
        where = f"{self.smtp.host}:{self.smtp.port}"
        try:
            self.client = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout_seconds)
            if self.smtp.starttls:
                self.client.starttls(context=ssl.create_default_context())
            if self.smtp.username:
                self.client.login(self.smtp.username, self.smtp.password() or "")
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise AlertDeliveryError(f"SMTP server {where} not usable: {exc}; nothing was marked sent") from exc

    def send(self, msg: EmailMessage, recipient: str) -> None:
        if self.client is None:  # the server dropped the last recipient's session
            self._connect()
        assert self.client is not None
        try:
            refused = self.client.send_message(msg, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:  # smtplib has reset the session: it goes on
            raise AlertDeliveryError(f"{recipient}: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()  # a dropped or confused session: the next recipient starts a new one
            raise AlertDeliveryError(f"{recipient}: {exc}") from exc
        if refused:
            raise AlertDeliveryError(f"{recipient}: refused {refused}")

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (smtplib.SMTPException, OSError):
                self.client.close()
            self.client = None

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def deliver(con: duckdb.DuckDBPyConnection, changes: WeekChanges, settings: AlertSettings,
            chart_png: bytes | None, *, outbox: Path | None = None) -> Outcome:
    """Send (or, with `outbox`, write) the week's e-mail to each recipient who lacks it."""
    week = str(changes.week)
    outcome = Outcome(week)
    done = already_sent(con, week) if outbox is None else set()
    pending: list[tuple[str, WeekChanges, EmailMessage]] = []
    for recipient in settings.everyone():
        if recipient in done:
            outcome.already_sent.append(recipient)
            continue
        mine = changes_for(changes, settings, recipient)
        if not mine.items and not settings.send_all_clear:
            outcome.skipped_all_clear.append(recipient)
            continue
        pending.append((recipient, mine, build_message(mine, settings, recipient, chart_png)))
    if outbox is not None:
        for recipient, _, msg in pending:
            outcome.written.append(write_outbox(outbox, week, recipient, msg))
        return outcome
    if not pending:
        return outcome
    with Mailer(settings.smtp) as mailer:
        for recipient, mine, msg in pending:
            try:
                mailer.send(msg, recipient)
            except AlertDeliveryError as exc:
                outcome.failed[recipient] = str(exc)
                continue
            record_send(con, week, recipient, msg, len(mine.items))
            outcome.sent.append(recipient)
    return outcome


def require_delivered(outcome: Outcome) -> None:
    if outcome.failed:
        detail = "; ".join(outcome.failed.values())
        raise AlertDeliveryError(f"week {outcome.week}: {len(outcome.failed)} e-mail(s) not delivered "
                                 f"and not marked sent (the next run tries again): {detail}")

