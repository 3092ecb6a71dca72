"""The weekly alert job: work out the week's changes, render, and send or write them."""

from __future__ import annotations

from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

from market_oversight import store
from market_oversight.alerts.changes import IsoWeek, WeekChanges, week_changes
from market_oversight.alerts.chart import rag_trend, rag_trend_png
from market_oversight.alerts.config import AlertSettings
from market_oversight.alerts.send import Outcome, deliver, write_preview


def default_week(today: date | None = None) -> IsoWeek:
    return IsoWeek.last_complete(today or date.today())


def run_week(db: Path, week: IsoWeek, settings: AlertSettings, *,
             outbox: Path | None = None) -> tuple[WeekChanges, Outcome]:
    """Send the week's e-mails (or write them to `outbox` as .eml, with an HTML preview beside each,
    leaving the send log alone). Raises nothing for a refused delivery: see `Outcome.failed`."""
    with store.warehouse(db, publish=False) as con:
        changes = week_changes(con, week)
        png = rag_trend_png(rag_trend(con, week.end), str(week))
        outcome = deliver(con, changes, settings, png, outbox=outbox)
    if outbox is not None:
        for path in outcome.written:
            msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            write_preview(outbox, path.stem, msg)
    return changes, outcome
