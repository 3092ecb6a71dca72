"""The contingency register as pages, analysts and the e-mail read it: a review is overdue from the
day after it was due until a later one is recorded (mart.contingency_register), the watchlist says so
for every location of the provider (with the app's live casework, before any job), a Market Oversight
notice shows beside it, and the weekly e-mail reports an overdue review in the week it fell overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.risk.conftest import HandMade
from market_oversight import contingency, fmt, store
from market_oversight.alerts.changes import IsoWeek, Urgency, week_changes
from market_oversight.queries import serving, watchlist
from market_oversight.queries.filters import MarketFilter
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds
from market_oversight.roles import Role, User

TODAY = date.today()
CM = User("cm@council.example", "Casey", Role.CONTRACT_MANAGER)


@pytest.fixture
def market(wh: HandMade) -> HandMade:
    # P1 runs G and H; P2 runs K; P3 runs R (red: Inadequate)
    for loc, provider in (("G", "P1"), ("H", "P1"), ("K", "P2"), ("R", "P3")):
        wh.location(loc, provider_id=provider)
    wh.rating("R", date(2026, 1, 1), "Inadequate")
    wh.build()
    engine.score(wh.path, load_thresholds(), [date(2026, 3, 15)])
    return wh


def review(wh: HandMade, provider: str, due: date, **more) -> str:
    return contingency.record_review(wh.path, CM, provider, plan_held=more.pop("plan_held", True),
                                     owner="Commissioning lead", reviewed_on=more.pop("reviewed_on", due - timedelta(days=180)),
                                     next_review_on=due, **more)


def register(wh: HandMade) -> dict[str, dict]:
    with store.warehouse(wh.path, publish=False) as con:   # a job's open refreshes the mirror
        rows = store.frame(con, "select * from mart.contingency_register").to_dicts()
    return {r["provider_id"]: r for r in rows}


def test_overdue_from_the_day_after_it_was_due_until_a_later_review(market: HandMade) -> None:
    review(market, "P1", TODAY - timedelta(days=1))
    review(market, "P2", TODAY)
    now = register(market)
    assert (now["P1"]["review_overdue"], now["P1"]["days_overdue"]) == (True, 1)
    assert (now["P2"]["review_overdue"], now["P2"]["days_overdue"]) == (False, None)   # due today: not yet
    assert now["P1"]["registered_locations"] == 2 and now["P1"]["reviews_recorded"] == 1
    review(market, "P1", TODAY + timedelta(days=90), reviewed_on=TODAY, plan_held=False)
    now = register(market)
    assert now["P1"]["review_overdue"] is False and now["P1"]["plan_held"] is False
    assert now["P1"]["reviews_recorded"] == 2 and "P3" not in now


def test_notices_are_counted_and_the_latest_named(market: HandMade) -> None:
    contingency.record_notice(market.path, CM, "P2", notice_on=TODAY - timedelta(days=40), kind="sustainability_plan",
                              note="Plan asked for")
    contingency.record_notice(market.path, CM, "P2", notice_on=TODAY - timedelta(days=2), kind="likely_failure",
                              note="s.56 letter")
    row = register(market)["P2"]
    assert (row["notices"], row["last_notice_kind"], row["last_notice_note"]) == (2, "likely_failure", "s.56 letter")
    assert row["plan_held"] is None and row["review_overdue"] is False


@pytest.mark.slow
def test_the_watchlist_names_an_overdue_review_and_a_notice_with_the_live_casework(market: HandMade) -> None:
    register(market)                     # the warehouse as the last job left it: an empty register
    due = TODAY - timedelta(days=5)
    review(market, "P1", due)
    contingency.record_notice(market.path, CM, "P2", notice_on=TODAY, kind="likely_failure", note="s.56 letter")
    live = serving.live_casework(market.path)
    with serving.open_read_only(market.path) as con:
        cur = serving.with_live_casework(con.cursor(), live)
        table = watchlist.for_people(watchlist.watchlist(cur, MarketFilter()))
    said = dict(zip(table["CQC location ID"], table["Contingency"]))
    overdue = f"Plan review overdue (due {fmt.long_date(due)})"
    assert said == {"G": overdue, "H": overdue, "R": "",
                    "K": f"{fmt.oversight_notice('likely_failure')}, {fmt.long_date(TODAY)}"}


@pytest.mark.slow
def test_the_email_reports_a_review_in_the_week_it_fell_overdue(market: HandMade) -> None:
    # this week (the register as recorded by a week's end counts, so a past week cannot be given a
    # review recorded now): due the Sunday before, so the first overdue day is its Monday
    week = IsoWeek.containing(TODAY)
    due = week.start - timedelta(days=1)
    review(market, "P1", due)
    review(market, "P2", week.end)                 # overdue from the Monday after: not that week
    with store.warehouse(market.path, publish=False) as con:
        items = [i for i in week_changes(con, week).items if i.kind == "contingency"]
        before = [i for i in week_changes(con, IsoWeek.containing(week.start - timedelta(days=1))).items
                  if i.kind == "contingency"]
    assert sorted((i.location_id, i.urgency, i.event_date, i.headline) for i in items) == [
        ("G", Urgency.REVIEW, due + timedelta(days=1), "Contingency plan review overdue"),
        ("H", Urgency.REVIEW, due + timedelta(days=1), "Contingency plan review overdue")]
    assert before == []


def test_the_email_reports_a_notice_in_its_week_to_act_on(market: HandMade) -> None:
    week = IsoWeek.containing(TODAY - timedelta(days=7))
    contingency.record_notice(market.path, CM, "P2", notice_on=week.start, kind="independent_review",
                              note="IBR commissioned")
    with store.warehouse(market.path, publish=False) as con:
        items = [i for i in week_changes(con, week).items if i.kind == "notice"]
    assert [(i.location_id, i.urgency, i.headline) for i in items] == [
        ("K", Urgency.ACT, f"CQC Market Oversight notice: {fmt.oversight_notice('independent_review')}")]
