"""What counts as a change in a week, on the scored local demo and on hand-made casework."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from market_oversight import fmt, store
from market_oversight.alerts.changes import IsoWeek, Urgency, _report_item, week_changes
from market_oversight.errors import AlertError


# --- weeks ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("today, expected", [
    (date(2026, 11, 23), "2026-W47"),   # Monday: the week just ended
    (date(2026, 11, 29), "2026-W47"),   # Sunday: its own week is not complete yet
    (date(2026, 11, 28), "2026-W47"),
    (date(2027, 1, 4), "2026-W53"),     # 2026 has 53 ISO weeks
    (date(2026, 1, 1), "2025-W52"),
])
def test_last_complete_week(today: date, expected: str) -> None:
    week = IsoWeek.last_complete(today)
    assert str(week) == expected
    assert week.end < today and (today - week.end).days <= 7
    assert week.start.isoweekday() == 1 and week.end.isoweekday() == 7


@pytest.mark.parametrize("text", ["2026-47", "2026-W7", "2025-W53", "2026-W00", "last week"])
def test_bad_week_is_named(text: str) -> None:
    with pytest.raises(AlertError, match="--week"):
        IsoWeek.parse(text)


# --- grading a CQC report -----------------------------------------------------------------------------

def _report(overall: str, previous: str | None, poor: list[str] | None = None) -> dict:
    return dict(location_id="L1", report_date=date(2026, 10, 1), overall=overall,
                previous_overall=previous, previous_report_date=date(2024, 1, 1) if previous else None,
                poor_key_questions=poor or [], report_link=None, date_basis="report")


@pytest.mark.parametrize("overall, previous, poor, urgency, words", [
    ("Requires improvement", "Good", [], Urgency.REVIEW, "downgraded from Good"),
    ("Inadequate", "Requires improvement", [], Urgency.ACT, "downgraded"),
    ("Good", "Outstanding", [], Urgency.REVIEW, "downgraded"),
    ("Good", "Good", ["safe: Inadequate"], Urgency.ACT, "unchanged"),
    ("Good", "Good", ["well_led: Requires improvement"], Urgency.REVIEW, "unchanged"),
    ("Good", "Requires improvement", [], Urgency.INFO, "upgraded"),
    ("Good", "Good", [], Urgency.INFO, "unchanged"),
    ("Requires improvement", None, [], Urgency.REVIEW, "first rating"),
])
def test_report_grading(overall, previous, poor, urgency, words) -> None:
    item = _report_item(_report(overall, previous, poor))
    assert item.urgency == urgency
    assert words in item.headline


# --- on the demo ---------------------------------------------------------------------------------------

def _weeks(first: date, count: int) -> list[IsoWeek]:
    return [IsoWeek.containing(first + timedelta(weeks=i)) for i in range(count)]


@pytest.mark.slow
def test_each_change_in_exactly_one_week(demo_source: Path) -> None:
    """Over 22 consecutive weeks: every CQC report, deregistration and suspension in the raw tables is
    reported once, in the week of its date, and nothing is said twice."""
    weeks = _weeks(date(2026, 5, 25), 22)
    seen: dict[tuple, str] = {}
    with store.warehouse(demo_source, publish=False) as con:
        for week in weeks:
            for item in week_changes(con, week).items:
                assert week.start <= item.event_date <= week.end, item
                key = (item.kind, item.location_id, item.event_date, item.headline)
                assert key not in seen, f"{key} in {seen.get(key)} and {week}"
                seen[key] = str(week)
        first, last = weeks[0].start, weeks[-1].end
        reports = set(con.execute(
            "select distinct location_id, report_date from cqc_ratings "
            "where report_date between $a and $b", {"a": first, "b": last}).fetchall())
        closures = set(con.execute(
            "select location_id, deregistration_date from cqc_locations "
            "where deregistration_date between $a and $b", {"a": first, "b": last}).fetchall())
        imposed = set(con.execute(
            "select location_id, imposed_on from casework_mirror.placement_suspensions "
            "where imposed_on between $a and $b", {"a": first, "b": last}).fetchall())
    assert reports, "the demo has CQC reports in these weeks"
    assert {(k[1], k[2]) for k in seen if k[0] == "report"} == reports
    assert {(k[1], k[2]) for k in seen if k[0] == "register" and "Deregistered" in k[3]} == closures
    assert {(k[1], k[2]) for k in seen if k[0] == "suspension" and "imposed" in k[3]} == imposed


def test_entering_red_or_amber_against_the_score_before(demo_source: Path) -> None:
    week = IsoWeek.parse("2026-W44")  # holds the 31 October 2026 score
    with store.warehouse(demo_source, publish=False) as con:
        items = week_changes(con, week).items
        now = dict(con.execute("select location_id, rag from mart.risk_history "
                               "where as_of = date '2026-10-31'").fetchall())
        before = dict(con.execute("select location_id, rag from mart.risk_history where as_of = "
                                  "(select max(as_of) from risk_scores where as_of < date '2026-10-31')"
                                  ).fetchall())
    worse = {"green": 0, "amber": 1, "red": 2}
    expected = {loc for loc, rag in now.items()
                if rag != "green" and worse[rag] > worse[before.get(loc, "green")]}
    risk = [i for i in items if i.kind == "risk"]
    assert expected and {i.location_id for i in risk} == expected
    for item in risk:
        assert (item.urgency == Urgency.ACT) == (now[item.location_id] == "red")
        assert f"was {fmt.rag(before.get(item.location_id))}" in item.headline
    flagged = [i for i in items if i.kind == "flags"]
    assert flagged and all(d.startswith(("New flag", "Evidence:")) for i in flagged for d in i.details)
    # in words, as the profile writes them: no raw keys (agency_hours=…) or lists
    raw = re.compile(r"\b[a-z]+_[a-z_]+\b|=|[\[\]{}]")
    assert not [d for i in flagged for d in i.details if raw.search(d)]
    assert not {i.location_id for i in flagged} & expected   # a location's flags sit under its RAG item


def test_first_scoring_run_is_not_news(demo_db: Path) -> None:
    with store.warehouse(demo_db, publish=False) as con:
        con.execute("delete from risk_flags where as_of < date '2026-10-31'")
        con.execute("delete from risk_scores where as_of < date '2026-10-31'")
        items = week_changes(con, IsoWeek.parse("2026-W44")).items
    assert not [i for i in items if i.kind in ("risk", "flags")]


def test_overdue_actions_open_at_the_end_of_the_week(demo_db: Path) -> None:
    week = IsoWeek.parse("2026-W30")   # 20-26 July 2026
    with store.casework(demo_db) as cw:
        for title, due, status, updated in [
            ("Chase safeguarding plan", date(2026, 7, 21), "open", None),
            ("Visit after complaint", date(2026, 7, 19), "done", "2026-08-02 10:00:00"),  # closed late
            ("Check staffing rota", date(2026, 7, 22), "done", "2026-07-23 10:00:00"),    # closed in time
            ("Due next week", date(2026, 7, 27), "open", None),
        ]:
            cw.execute("insert into actions (location_id, title, owner, due_date, status, created_by, "
                       "updated_at) values ('1-8000000001', $t, 'ann', $d, $s, 'ann', $u)",
                       {"t": title, "d": due, "s": status, "u": updated})
    with store.warehouse(demo_db, publish=False) as con:
        items = week_changes(con, week).items
    overdue = sorted(i.headline for i in items if i.kind == "action")
    assert overdue == ["Action overdue: Chase safeguarding plan", "Action overdue: Visit after complaint"]
    assert all(i.urgency == Urgency.REVIEW for i in items if i.kind == "action")


def test_suspension_lifted_is_information(demo_db: Path) -> None:
    # given one of the demo's suspensions, imposed before October 2026 and lifted on 7 October
    with store.casework(demo_db) as cw:
        suspension_id, location_id = cw.execute(
            "select suspension_id, location_id from placement_suspensions where imposed_on < date '2026-10-01' "
            "and (lifted_on is null or lifted_on > date '2026-10-07') order by imposed_on desc, location_id "
            "limit 1").fetchone()
        cw.execute("update placement_suspensions set lifted_on = date '2026-10-07', "
                   "lift_reason = 'Improvements verified', lifted_by = 'ann' "
                   "where suspension_id = $id", {"id": suspension_id})
    with store.warehouse(demo_db, publish=False) as con:
        items = week_changes(con, IsoWeek.parse("2026-W41")).items   # 5-11 October 2026
    lifted = [i for i in items if i.kind == "suspension" and i.location_id == location_id]
    assert [(i.urgency, i.headline) for i in lifted] == [(Urgency.INFO, "Placement suspension lifted")]


def test_returns_reported_in_the_week_they_became_missing(demo_source: Path) -> None:
    """June 2026 returns were due on 14 July: the week of 13-19 July reports each one not received by
    19 July (including those that came later), and the next week does not repeat them."""
    week, next_week = IsoWeek.parse("2026-W29"), IsoWeek.parse("2026-W30")
    with store.warehouse(demo_source, publish=False) as con:
        items = week_changes(con, week).items
        later = week_changes(con, next_week).items
        rows = con.execute("select location_id, service_kind, received_at from mart.expected_returns "
                           "where period = date '2026-06-01'").fetchall()
    expected = {loc for loc, _, received in rows if received is None or received.date() > week.end}
    late_but_in_time_for_the_week = {loc for loc, _, received in rows
                                     if received is not None and date(2026, 7, 14) < received.date() <= week.end}
    missing = [i for i in items if i.kind == "returns"]
    assert expected and {i.location_id for i in missing} == expected
    assert not late_but_in_time_for_the_week & {i.location_id for i in missing}
    assert all(i.event_date == date(2026, 7, 15) and i.urgency == Urgency.REVIEW for i in missing)
    assert any("arrived later" in i.details[0] for i in missing)
    assert not [i for i in later if i.kind == "returns"]


def test_edges_of_the_demo_history(demo_source: Path) -> None:
    """Before anything happened (the earliest registration is in 2010), the first month of the demo, and after its data ends: no errors,
    and only changes dated in the week."""
    with store.warehouse(demo_source, publish=False) as con:
        assert week_changes(con, IsoWeek.parse("2009-W10")).items == ()
        for text in ("2021-W45", "2021-W48", "2026-W48"):
            week = IsoWeek.parse(text)
            assert all(week.start <= i.event_date <= week.end for i in week_changes(con, week).items)
