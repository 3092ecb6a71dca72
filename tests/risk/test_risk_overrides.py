"""A contract manager's RAG override: kept beside the computed RAG, with who, when, why and expiry."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import HandMade
from market_oversight import store
from market_oversight.cli import main
from market_oversight.errors import RiskError
from market_oversight.risk import engine
from market_oversight.risk.overrides import override_rag, overrides, withdraw_override
from market_oversight.risk.thresholds import load_thresholds

AS_OF = date(2026, 3, 15)


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
    override_rag(wh.path, "A", "amber", "Action plan agreed, new manager", date(2026, 6, 30), "ann",
                 today=AS_OF)
    rows = current(wh)
    assert rows["A"]["computed_rag"] == "red" and rows["A"]["override_rag"] == "amber"
    assert rows["A"]["rag"] == "amber"
    assert rows["A"]["override_by"] == "ann" and rows["A"]["override_expires_on"] == date(2026, 6, 30)
    assert rows["B"]["rag"] == rows["B"]["computed_rag"] and rows["B"]["override_rag"] is None
    with store.casework(wh.path) as cw:
        assert cw.execute("select actor, action, target from audit_log").fetchall() == [
            ("ann", "rag_override", "A")]


def test_an_expired_override_no_longer_applies(wh: HandMade) -> None:
    scored(wh)
    override_rag(wh.path, "A", "green", "visited", date(2026, 3, 14), "ann", today=date(2026, 3, 1))
    assert current(wh)["A"]["rag"] == "red"
    override_rag(wh.path, "A", "green", "visited", AS_OF, "ann", today=date(2026, 3, 1))
    assert current(wh)["A"]["rag"] == "green"  # expires on the as-of date: still applies that day


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


def test_history_applies_the_override_in_force_at_each_date(wh: HandMade) -> None:
    scored(wh)
    override_rag(wh.path, "A", "amber", "plan", date(2026, 12, 31), "ann")  # made today, after AS_OF
    with store.warehouse(wh.path, publish=False) as con:
        hist = con.execute("select rag, override_rag from mart.risk_history where location_id = 'A'").fetchall()
        flags = con.execute("select count(*) from mart.risk_flags where location_id = 'A' "
                            "and evidence is not null").fetchone()[0]
    assert hist == [("red", None)]  # not yet made at AS_OF
    assert flags >= 3


def test_override_command(wh: HandMade, capsys) -> None:
    scored(wh)
    assert main(["risk", "override", "A", "--db", str(wh.path), "--rag", "amber", "--reason", "plan",
                 "--expires", "2099-01-01", "--by", "ann"]) == 0
    oid = capsys.readouterr().out.strip()
    assert main(["risk", "withdraw", oid, "--db", str(wh.path), "--by", "ann"]) == 0
    assert main(["risk", "override", "A", "--db", str(wh.path), "--rag", "amber", "--reason", "plan",
                 "--expires", "2000-01-01", "--by", "ann"]) == 2
    assert "in the past" in capsys.readouterr().err
