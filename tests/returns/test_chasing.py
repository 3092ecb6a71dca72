"""The chasing list (queries/chasing + sql/queries/returns_to_chase.sql) on a small warehouse written
in code: a return owed the day after its due day and not on it, a return that arrives late leaves
the list the day it arrives, one never sent stays on it; and the reminder a provider is sent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from market_oversight import store
from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions, ingest_file
from market_oversight.queries import chasing

from .conftest import CARE_HOME, HOME_CARE, write_csv

DUE_DAY = 14    # the defaults' [returns] due_day_of_following_month
D = dt.date

# (location, period, submitted): 1-101 sends June on time and July late; 1-102 sends June on its due
# day and nothing after; 1-201 (home care, the other provider) sends June and July on time.
CARE_HOME_SENT = (("1-101", "2026-06", "10/07/2026 09:00"), ("1-101", "2026-07", "20/08/2026 16:00"),
                  ("1-102", "2026-06", "14/07/2026 23:00"))
HOME_CARE_SENT = (("1-201", "2026-06", "01/07/2026 09:00"), ("1-201", "2026-07", "03/08/2026 09:00"))


@pytest.fixture
def returns_db(db: Path, tmp_path: Path) -> Path:
    options = IngestOptions.from_settings(settings_from(None), judge="sql", today=D(2026, 11, 20))
    for name, template, sent in (("care", CARE_HOME, CARE_HOME_SENT), ("home", HOME_CARE, HOME_CARE_SENT)):
        rows = [list({**template, "location_id": loc, "period": period, "submitted_at": at}.values())
                for loc, period, at in sent]
        ingest_file(db, "returns", write_csv(tmp_path / f"{name}.csv", list(template), rows), options=options)
    with store.warehouse(db, publish=False) as con:
        con.execute("update cqc_locations set postcode = 'KM1 1AA' where location_id = '1-101'")
    return db


def _owed(db: Path, as_of: dt.date) -> dict[tuple[str, dt.date], int]:
    with store.warehouse(db, read_only=True) as con:
        df = chasing.owed(con, as_of)
    assert df is not None
    return {(r["location_id"], r["period"]): r["days_overdue"] for r in df.iter_rows(named=True)}


def test_a_return_is_owed_the_day_after_its_due_day_not_on_it(returns_db: Path) -> None:
    july_due = D(2026, 8, DUE_DAY)
    assert ("1-102", D(2026, 7, 1)) not in _owed(returns_db, july_due - dt.timedelta(days=1))
    assert ("1-102", D(2026, 7, 1)) not in _owed(returns_db, july_due)
    assert _owed(returns_db, july_due + dt.timedelta(days=1))[("1-102", D(2026, 7, 1))] == 1


def test_a_return_arriving_on_its_due_day_is_never_owed(returns_db: Path) -> None:
    assert ("1-102", D(2026, 6, 1)) not in _owed(returns_db, D(2026, 7, DUE_DAY + 1))


def test_a_late_return_leaves_the_list_the_day_it_arrives_and_a_missing_one_stays(returns_db: Path) -> None:
    before = _owed(returns_db, D(2026, 8, 19))
    assert before[("1-101", D(2026, 7, 1))] == 5        # sent on 20 August, five days after it was due
    assert before[("1-102", D(2026, 7, 1))] == 5
    after = _owed(returns_db, D(2026, 8, 20))
    assert ("1-101", D(2026, 7, 1)) not in after
    assert after[("1-102", D(2026, 7, 1))] == 6


def test_the_list_is_most_overdue_first_with_postcode_and_provider(returns_db: Path) -> None:
    with store.warehouse(returns_db, read_only=True) as con:
        df = chasing.owed(con, D(2026, 10, 1))
    assert df is not None
    days = df["days_overdue"].to_list()
    assert days == sorted(days, reverse=True)
    # 1-101 owes August (due 14 September); 1-102 July and August; 1-201 and 1-202 home care
    assert set(zip(df["location_id"], df["period"], strict=True)) >= {
        ("1-101", D(2026, 8, 1)), ("1-102", D(2026, 7, 1)), ("1-102", D(2026, 8, 1))}
    first = df.row(0, named=True)
    assert first["days_overdue"] == (D(2026, 10, 1) - first["due_date"]).days
    row = df.filter(df["location_id"] == "1-101").row(0, named=True)
    assert (row["provider_name"], row["postcode"]) == ("Provider P-1", "KM1 1AA")


def test_a_council_area_filter_keeps_only_its_services(returns_db: Path) -> None:
    with store.warehouse(returns_db, read_only=True) as con:
        assert chasing.owed(con, D(2026, 10, 1), "Elsewhere").is_empty()
        assert not chasing.owed(con, D(2026, 10, 1), "Kingsmere").is_empty()


def test_days_are_counted_to_the_newest_return_loaded_never_past_today(returns_db: Path) -> None:
    with store.warehouse(returns_db, read_only=True) as con:
        newest = chasing.newest_received(con)
    assert newest == D(2026, 8, 20)
    assert chasing.count_to(newest, D(2026, 12, 7)) == newest
    assert chasing.count_to(newest, D(2026, 8, 1)) == D(2026, 8, 1)
    assert chasing.count_to(None, D(2026, 12, 7)) == D(2026, 12, 7)


def test_the_reminder_names_each_return_and_due_date_without_codes(returns_db: Path) -> None:
    as_of = D(2026, 10, 1)
    with store.warehouse(returns_db, read_only=True) as con:
        df = chasing.owed(con, as_of)
    text = chasing.reminder(df, "P-1", as_of)
    assert "Dear colleagues at Provider P-1," in text
    assert "as of 1 October 2026" in text
    assert "- Home 1-102: the care home return for July 2026, due on 14 August 2026" in text
    assert "- Home 1-102: the care home return for August 2026, due on 14 September 2026" in text
    assert "- Home 1-101 (KM1 1AA): the care home return for August 2026, due on 14 September 2026" in text
    assert "3 monthly returns" in text and "Kind regards," in text
    assert "P-1" not in text.replace("Provider P-1", "")       # no provider ID, service codes or statuses
    for code in ("care_home", "home_care", "missing", "None"):
        assert code not in text
    assert "June 2026" not in text           # returns that arrived are not asked for
    with pytest.raises(KeyError):
        chasing.reminder(df, "P-nobody", as_of)


def test_a_single_return_reads_in_the_singular(returns_db: Path) -> None:
    as_of = D(2026, 8, 19)
    with store.warehouse(returns_db, read_only=True) as con:
        df = chasing.owed(con, as_of).filter(chasing.pl.col("location_id") == "1-101")
    text = chasing.reminder(df, "P-1", as_of)
    assert "we have not yet received the monthly return below" in text
    assert "Please send it as soon as you can." in text


def test_a_window_keeps_only_returns_due_since_its_start(returns_db: Path) -> None:
    as_of = D(2026, 10, 1)
    since = chasing.due_from(as_of, 1)
    assert since == D(2026, 9, 1)
    with store.warehouse(returns_db, read_only=True) as con:
        every = chasing.owed(con, as_of)
        recent = chasing.owed(con, as_of, due_since=since)
    assert set(recent["due_date"]) == {D(2026, 9, DUE_DAY)}       # August's returns only
    assert recent.height == every.filter(chasing.pl.col("due_date") >= since).height < every.height


def test_the_window_starts_whole_calendar_months_back() -> None:
    assert chasing.due_from(D(2026, 5, 31), 3) == D(2026, 2, 28)
    assert chasing.due_from(D(2026, 1, 15), 12) == D(2025, 1, 15)
    assert chasing.due_from(D(2026, 3, 15), 3) == D(2025, 12, 15)
    assert chasing.due_from(D(2026, 3, 15), None) is None


def test_the_summary_counts_providers_returns_and_services(returns_db: Path) -> None:
    as_of = D(2026, 10, 1)
    with store.warehouse(returns_db, read_only=True) as con:
        df = chasing.owed(con, as_of)
    oldest = min(df["due_date"])
    assert chasing.summary(df, as_of, None) == (
        f"On 1 October 2026, {df['provider_id'].n_unique()} providers owe {df.height} returns from "
        f"{df['location_id'].n_unique()} services; the longest overdue is {(as_of - oldest).days} days.")
    one = df.filter(chasing.pl.col("location_id") == "1-101")
    assert chasing.summary(one, as_of, D(2026, 9, 1)).startswith(
        "On 1 October 2026, of the returns due since 1 September 2026, 1 provider owes 1 return from 1 service;")


def test_the_downloads_read_in_words_and_are_safe_in_a_spreadsheet(returns_db: Path) -> None:
    import io

    from openpyxl import load_workbook

    from market_oversight import export

    with store.warehouse(returns_db, publish=False) as con:
        con.execute("update cqc_providers set provider_name = '=HYPERLINK(\"http://x\")' where provider_id = 'P-2'")
        df = chasing.owed(con, D(2026, 10, 1))
    table = chasing.for_people(df)
    assert table.columns[:3] == ["Days overdue", "Provider", "Service"]
    assert set(table["Return"]) == {"Care home", "Home care"} and "July 2026" in set(table["Month owed"])
    text = export.to_csv(table).decode()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    ws = load_workbook(io.BytesIO(export.to_xlsx(table, title="Monthly returns to chase",
                                                 as_of=chasing.summary(df, D(2026, 10, 1), None)))).active
    assert ws["A2"].value.startswith("On 1 October 2026,")
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.max_row == 3 + 1 + table.height
