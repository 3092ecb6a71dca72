"""What a week's e-mail would say, for an administrator in the app, and a test copy sent to them.

The preview is built exactly as the weekly job builds each recipient's message (`build_message`),
from the newest serving copy, read-only; nothing is written to the send log, so the real e-mail of
that week still goes. A test send goes to the signed-in administrator alone, marked as a test in its
subject, and is audited.
"""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

from market_oversight import audit, roles
from market_oversight.alerts.changes import IsoWeek, week_changes
from market_oversight.alerts.chart import rag_trend, rag_trend_png
from market_oversight.alerts.config import AlertSettings
from market_oversight.alerts.render import build_message
from market_oversight.alerts.send import Mailer, changes_for
from market_oversight.errors import AlertError
from market_oversight.queries import serving
from market_oversight.roles import Permission, User

TEST_SENT = "alert_test_sent"


@dataclass(frozen=True)
class Preview:
    week: IsoWeek
    recipient: str
    items: int
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        """The HTML part with its inline chart as a data URI, so a browser shows it as the mail
        client would."""
        part = self.message.get_body(preferencelist=("html",))
        html = part.get_content()
        for related in self.message.walk():
            cid = related.get("Content-ID")
            if cid and related.get_content_maintype() == "image":
                data = base64.b64encode(related.get_payload(decode=True)).decode("ascii")
                html = html.replace(f"cid:{cid.strip('<>')}", f"data:{related.get_content_type()};base64,{data}")
        return html


def recent_weeks(today: date, count: int = 12) -> list[IsoWeek]:
    """The last `count` complete ISO weeks, newest first (the weekly job's default week first)."""
    newest = IsoWeek.last_complete(today)
    return [IsoWeek.containing(newest.start - timedelta(weeks=n)) for n in range(count)]


def preview(db: Path, week: IsoWeek, settings: AlertSettings, recipient: str) -> Preview:
    """The message `recipient` would get for `week`, from the newest serving copy."""
    if recipient not in settings.everyone():
        raise AlertError(f"{recipient} is not a recipient of the weekly e-mail: the [alerts] "
                         "configuration lists who gets it")
    con = serving.open_read_only(serving.newest_copy(db))
    try:
        changes = week_changes(con, week)
        png = rag_trend_png(rag_trend(con, week.end), str(week))
    finally:
        con.close()
    mine = changes_for(changes, settings, recipient)
    return Preview(week, recipient, len(mine.items), build_message(mine, settings, recipient, png))


def send_test(db: Path, shown: Preview, settings: AlertSettings, user: User) -> str:
    """Send the previewed message to the signed-in administrator only, as a test; audited.
    Returns the address it went to."""
    roles.require(user, Permission.ADMINISTER)
    msg = copy.deepcopy(shown.message)
    msg.replace_header("To", user.email)
    msg.replace_header("Subject", f"[Test, as sent to {shown.recipient}] {shown.subject}")
    with Mailer(settings.smtp) as mailer:
        mailer.send(msg, user.email)
    audit.record_event(db, user.email, TEST_SENT, str(shown.week), {"as_for": shown.recipient})
    return user.email
