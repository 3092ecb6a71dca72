"""A contract manager's RAG override: kept beside the computed RAG, with who, when, why and expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.risk.conftest import HandMade
from market_oversight import store
from market_oversight.cli import main
from market_oversight.errors import RiskError
from market_oversight.risk import engine
from market_oversight.risk.overrides import override_rag, overrides, withdraw_override
from market_oversight.risk.thresholds import load_thresholds

AS_OF = date(2026, 3, 15)
# The latest score stands until the next scoring, so its overrides are judged today (mart.risk_history)
SOON = date.today() + timedelta(days=90)


def scored(wh: HandMade) -> None:
    # A: Inadequate after Good, Safe Inadequate, no registered manager (red); B: nothing (green)
    wh.location("A", rated=date(2024, 1, 1), manager=False)
    wh.rating("A", date(2026, 1, 1), "Inadequate", safe="Inadequate")
    wh.location("B", provider_id="other")
    wh.build()
    engine.score(wh.path, load_thresholds(), [AS_OF])


def current(wh: HandMade) -> dict[str, dict]:
    with store.warehouse(wh.path, publish=False) as con:  # a job's open refreshes the casework mirror
        return {r["location_id"]: r for r in store.frame(con, "select * from mart.risk_current").to_dicts()}


def test_override_is_shown_with_the_computed_rag_and_who_made_it(wh: HandMade) -> None:
    scored(wh)
    override_rag(wh.path, "A", "amber", "Action plan agreed, new manager", SOON, "ann", today=AS_OF)
    rows = current(wh)
    assert rows["A"]["computed_rag"] == "red" and rows["A"]["override_rag"] == "amber"
    assert rows["A"]["rag"] == "amber"
    assert rows["A"]["override_by"] == "ann" and rows["A"]["override_expires_on"] == SOON
    assert rows["B"]["rag"] == rows["B"]["computed_rag"] and rows["B"]["override_rag"] is None
    with store.casework(wh.path) as cw:
        assert cw.execute("select actor, action, target from audit_log").fetchall() == [
            ("ann", "rag_override", "A")]


def test_an_expired_override_no_longer_applies(wh: HandMade) -> None:
    scored(wh)
    override_rag(wh.path, "A", "green", "visited", date.today() - timedelta(days=1), "ann", today=AS_OF)
    assert current(wh)["A"]["rag"] == "red"
    override_rag(wh.path, "A", "green", "visited", date.today(), "ann", today=AS_OF)
    assert current(wh)["A"]["rag"] == "green"  # expires today: still applies today


def test_withdrawn_override_stops_applying_and_is_audited(wh: HandMade) -> None:
    scored(wh)
    oid = override_rag(wh.path, "A", "green", "visited", date(2026, 12, 31), "ann", today=AS_OF)
    withdraw_override(wh.path, oid, "bo")
    assert current(wh)["A"]["rag"] == "red"
    (o,) = overrides(wh.path, "A")
    assert o.withdrawn_by == "bo"
    with pytest.raises(RiskError, match="already withdrawn"):
        withdraw_override(wh.path, oid, "bo")


def test_a_new_override_replaces_the_active_one(wh: HandMade) -> None:
    scored(wh)
    override_rag(wh.path, "A", "green", "first", date(2026, 12, 31), "ann", today=AS_OF)
    override_rag(wh.path, "A", "amber", "second", date(2026, 12, 31), "bo", today=AS_OF)
    latest, earlier = overrides(wh.path, "A")
    assert (latest.reason, latest.withdrawn_by) == ("second", None)
    assert (earlier.reason, earlier.withdrawn_by) == ("first", "bo")
    assert current(wh)["A"]["override_reason"] == "second"


@pytest.mark.parametrize("rag, reason, expires, message", [
    ("purple", "x", date(2026, 12, 31), "must be one of"),
    ("red", "  ", date(2026, 12, 31), "needs a reason"),
    ("red", "x", date(2026, 3, 14), "in the past"),
])
def test_bad_overrides_are_refused(wh: HandMade, rag, reason, expires, message) -> None:
    with pytest.raises(RiskError, match=message):
        override_rag(wh.path, "A", rag, reason, expires, "ann", today=AS_OF)


@pytest.mark.slow
def test_history_applies_the_override_in_force_at_each_date(wh: HandMade) -> None:
    scored(wh)
    engine.score(wh.path, load_thresholds(), [AS_OF + timedelta(days=30)])
    override_rag(wh.path, "A", "amber", "plan", SOON, "ann")  # made today, after both scores
    with store.warehouse(wh.path, publish=False) as con:
        hist = con.execute("select as_of, rag, override_rag from mart.risk_history where location_id = 'A' "
                           "order by as_of").fetchall()
        now = con.execute("select as_of, rag, override_rag from mart.risk_current "
                          "where location_id = 'A'").fetchall()
        flags = con.execute("select count(*) from mart.risk_flags where location_id = 'A' "
                            "and evidence is not null").fetchone()[0]
    # not yet made at the earlier score; the latest score stands until the next, so it is judged today
    assert hist == [(AS_OF, "red", None), (AS_OF + timedelta(days=30), "amber", "amber")]
    assert now == hist[-1:]  # risk_current is risk_history at the latest as-of date
    assert flags >= 3


@pytest.mark.slow
def test_a_suspension_makes_the_location_red_from_the_day_it_is_imposed(wh: HandMade) -> None:
    scored(wh)
    engine.score(wh.path, load_thresholds(), [AS_OF + timedelta(days=30)])
    with store.casework(wh.path) as cw:
        cw.execute("insert into placement_suspensions (location_id, imposed_on, reason, imposed_by) "
                   "values ('B', $on, 'safeguarding', 'ann')", {"on": AS_OF + timedelta(days=1)})
    with store.warehouse(wh.path, publish=False) as con:
        hist = con.execute("select rag, computed_rag, suspended from mart.risk_history "
                           "where location_id = 'B' order by as_of").fetchall()
    assert hist == [("green", "green", False), ("red", "green", True)]
    with store.casework(wh.path) as cw:
        cw.execute("update placement_suspensions set lifted_on = $on where location_id = 'B'",
                   {"on": date.today()})
    assert current(wh)["B"]["rag"] == "green"  # lifted today: no longer in force today


def test_override_command(wh: HandMade, capsys) -> None:
    scored(wh)
    assert main(["risk", "override", "A", "--db", str(wh.path), "--rag", "amber", "--reason", "plan",
                 "--expires", "2099-01-01", "--by", "ann"]) == 0
    oid = capsys.readouterr().out.strip()
    assert main(["risk", "withdraw", oid, "--db", str(wh.path), "--by", "ann"]) == 0
    assert main(["risk", "override", "A", "--db", str(wh.path), "--rag", "amber", "--reason", "plan",
                 "--expires", "2000-01-01", "--by", "ann"]) == 2
    assert "in the past" in capsys.readouterr().err
