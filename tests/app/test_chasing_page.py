"""The Returns to chase page on the demo: this month's chasing list (not the five-year tally), counted
up to the day the newest return arrived, with a reminder per provider; the tally stays on Data
quality."""

from __future__ import annotations

import pytest
from datetime import date
from pathlib import Path

from market_oversight import fmt
from market_oversight.queries import chasing

from .conftest import assert_clean, open_page, read, texts


def _owed_on(db: Path, as_of: date, months: int | None = 3) -> list[tuple]:
    """Every expected return due before `as_of` (and in the page's default window of the last three
    months) and not arrived by the end of it, read from the mart row by row and judged here in
    Python (not by the page's SQL)."""
    since = chasing.due_from(as_of, months) or date.min
    rows = read(db, "select location_id, period, due_date, received_at from mart.expected_returns")
    return [r for r in rows if since <= r[2] < as_of and (r[3] is None or r[3].date() > as_of)]


@pytest.mark.slow
def test_the_page_lists_the_returns_owed_at_the_newest_return_most_overdue_first(app_env: Path) -> None:
    newest = read(app_env, "select max(received_at) from mart.expected_returns")[0][0].date()
    expected = _owed_on(app_env, newest)
    assert expected     # the demo has returns to chase
    at = open_page("chasing.py")
    assert_clean(at)
    assert at.radio(key="chase-as-of").value == min(newest, date.today())
    table = at.dataframe[0].value
    assert len(table) == len(expected)
    days = table["Days overdue"].tolist()
    assert days == sorted(days, reverse=True)
    assert days[0] == (newest - min(r[2] for r in expected)).days
    assert not {"location_id", "service_kind", "period"} & set(table.columns)   # people's names
    written = texts(at)
    assert "counted up to that day" in written
    assert f"{fmt.long_date(newest)}, when the newest return loaded arrived" in at.radio(key="chase-as-of").options
    assert "postcode only" in written
    # the reminder is for the provider owing the oldest return, and names it
    reminder = at.code[0].value
    first = table.iloc[0]
    assert f"Dear colleagues at {first['Provider']}," in reminder
    assert f"{first['Service']}" in reminder and f"the {first['Return'].lower()} return for {first['Month owed']}" in reminder
    assert first["CQC location ID"] not in reminder


@pytest.mark.slow
def test_counting_up_to_today_chases_the_returns_not_loaded_since(app_env: Path) -> None:
    at = open_page("chasing.py")
    shown_at_newest = len(at.dataframe[0].value)
    at.radio(key="chase-as-of").set_value(date.today()).run()
    assert_clean(at)
    assert len(at.dataframe[0].value) == len(_owed_on(app_env, date.today())) > shown_at_newest


@pytest.mark.slow
def test_any_time_chases_every_return_never_sent(app_env: Path) -> None:
    at = open_page("chasing.py")
    as_of = at.radio(key="chase-as-of").value
    recent = len(at.dataframe[0].value)
    at.selectbox(key="chase-window").set_value(0).run()   # any time
    assert_clean(at)
    assert len(at.dataframe[0].value) == len(_owed_on(app_env, as_of, None)) > recent


@pytest.mark.slow
def test_choosing_another_provider_writes_its_reminder(app_env: Path) -> None:
    at = open_page("chasing.py")
    table = at.dataframe[0].value
    last = table.iloc[-1]      # the provider owing the least overdue return
    at.selectbox(key="chase-provider").set_value(last["CQC provider ID"]).run()
    assert_clean(at)
    reminder = at.code[0].value
    assert f"Dear colleagues at {last['Provider']}," in reminder
    owed_by_it = table[table["CQC provider ID"] == last["CQC provider ID"]]
    assert reminder.count("\n- ") == len(owed_by_it)
    assert all(f"due on {d}" in reminder for d in owed_by_it["Due"])


@pytest.mark.slow
def test_data_quality_keeps_the_history_and_points_to_the_chasing_list(app_env: Path) -> None:
    at = open_page("data_quality.py")
    assert_clean(at)
    assert "Who has been late with their returns over the years?" in [h.value for h in at.header]
    assert "Returns to chase" in texts(at)
