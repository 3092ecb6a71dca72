"""The returns due day has one source, [returns] due_day_of_following_month: change it and the
expected-returns mart, the late_missing_returns indicator and the chasing figures move together."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from market_oversight import store
from market_oversight.cli import main
from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions, ingest_file
from market_oversight.paths import sql_dir
from market_oversight.queries import data_quality

from .conftest import CARE_HOME, write_csv

SUBMITTED_ON = 17   # each return arrives on the 17th of the following month
MONTHS = (2, 3, 4, 5)   # months before this one that 1-101 sent; 1-102 sends nothing


def _months_ago(today: dt.date, k: int) -> dt.date:
    y, m = divmod(today.year * 12 + today.month - 1 - k, 12)
    return dt.date(y, m + 1, 1)


def _due(period: dt.date, due_day: int) -> dt.date:
    """The rule written out independently of the SQL: day N of the following month."""
    return _months_ago(period, -1).replace(day=due_day)


def _load(db: Path, tmp_path: Path, today: dt.date) -> None:
    rows = [list({**CARE_HOME, "location_id": "1-101", "period": _months_ago(today, k).strftime("%Y-%m"),
                  "submitted_at": _months_ago(today, k - 1).replace(day=SUBMITTED_ON).strftime("%d/%m/%Y 12:00"),
                  }.values()) for k in MONTHS]
    options = IngestOptions.from_settings(settings_from(None), judge="sql", today=today)
    ingest_file(db, "returns", write_csv(tmp_path / "returns.csv", list(CARE_HOME), rows), options=options)


def _score(db: Path, tmp_path: Path, today: dt.date, due_day: int) -> None:
    config = tmp_path / f"council-{due_day}.toml"
    config.write_text(f"[returns]\ndue_day_of_following_month = {due_day}\n", encoding="utf-8")
    assert main(["score", "--db", str(db), "--as-of", today.isoformat(), "--no-snapshot",
                 "--config", str(config)]) == 0


def _what_each_use_says(db: Path, today: dt.date) -> tuple[dict, dict | None, dict]:
    with store.warehouse(db, read_only=True) as con:
        mart = {p: (due, status) for p, due, status in con.execute(
            "select period, due_date, status from mart.expected_returns where location_id = '1-101'").fetchall()}
        row = con.execute("select evidence from risk_flags where flag = 'late_missing_returns' "
                          "and location_id = '1-101' and as_of = $d", {"d": today}).fetchone()
        chasing = data_quality.returns_by_provider(con).filter(provider_id="P-1").row(0, named=True)
    flag = None if row is None else {dt.date.fromisoformat(r["period"]): (dt.date.fromisoformat(r["due_date"]),
                                                                         r["status"])
                                     for r in json.loads(row[0])["returns"]}
    return mart, flag, chasing


@pytest.mark.parametrize("late_day, on_time_day", [(14, 20), (10, 28)])
def test_the_due_day_setting_moves_the_mart_the_indicator_and_the_chasing_figures(
        db: Path, tmp_path: Path, late_day: int, on_time_day: int) -> None:
    # given returns that arrive on the 17th of the following month
    today = dt.date.today()
    _load(db, tmp_path, today)
    sent = [_months_ago(today, k) for k in MONTHS]

    # when the council's due day is before the 17th, then every return is late, everywhere
    _score(db, tmp_path, today, late_day)
    mart, flag, chasing = _what_each_use_says(db, today)
    assert {p: mart[p] for p in sent} == {p: (_due(p, late_day), "late") for p in sent}
    assert flag is not None, "2 of the last 3 late or missing: the indicator flags 1-101"
    for period, (due, status) in flag.items():
        assert mart[period] == (due, status.replace(" ", "_")), period
    assert chasing["late"] == len(MONTHS)

    # when the council moves the due day after the 17th, then the same returns are on time, everywhere
    _score(db, tmp_path, today, on_time_day)
    mart, flag, chasing = _what_each_use_says(db, today)
    assert {p: mart[p] for p in sent} == {p: (_due(p, on_time_day), "on_time") for p in sent}
    assert flag is None
    assert chasing["late"] == 0
    assert chasing["missing"] > 0   # 1-102 sent nothing: the provider is still chased for it


def test_every_due_date_is_computed_from_the_recorded_due_day() -> None:
    users = {p.relative_to(sql_dir()).as_posix(): p.read_text(encoding="utf-8")
             for p in sql_dir().rglob("*.sql")
             if "migrations" not in p.parts and "return_due_date(" in p.read_text(encoding="utf-8")}
    assert set(users) == {"marts/expected_returns.sql", "indicators/late_missing_returns.sql"}
    for name, text in users.items():
        assert "main.returns_calendar" in text and "$due_day" not in text, name
