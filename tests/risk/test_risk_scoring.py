"""Scores decompose into their flags, look nowhere past the as-of date, and are stored idempotently."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.risk.conftest import HandMade, month
from market_oversight import store
from market_oversight.cli import main
from market_oversight.errors import ConfigError
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds

AS_OF = date(2026, 3, 15)


def busy_market(wh: HandMade) -> None:
    """Homes with many flags, so that likelihood passes the cap and points are scaled."""
    for i in range(6):
        wh.location(f"L{i}", provider_id="G" if i < 3 else f"P{i}", manager=i != 0, rated=None)
        wh.rating(f"L{i}", date(2023, 1, 1), "Good")
        wh.rating(f"L{i}", date(2025, 1, 1), "Inadequate" if i < 2 else "Good", safe="Inadequate")
        wh.months_of_returns(f"L{i}", AS_OF, occupied_beds=25 + i, agency_hours=1500.0, leavers=i,
                             staff_vacancies=6, complaints=i)


def test_every_score_is_exactly_the_sum_of_its_flags(wh: HandMade) -> None:
    busy_market(wh)
    wh.build()
    engine.score(wh.path, load_thresholds(), [AS_OF])
    with store.warehouse(wh.path, publish=False) as con:
        scores = store.frame(con, "select * from risk_scores").to_dicts()
        flags = store.frame(con, "select * from risk_flags").to_dicts()
    # the cap was reached and points scaled (rounding each to 2 places may leave 99.99 or 100.01)
    assert any(abs(s["likelihood"] - 100) <= 0.05 for s in scores)
    for s in scores:
        mine = [f for f in flags if f["location_id"] == s["location_id"]]
        assert round(sum(f["points"] for f in mine if f["domain"] != "impact"), 2) == s["likelihood"]
        assert round(sum(f["points"] for f in mine if f["domain"] == "impact"), 2) == s["impact"]
        assert sorted(s["flags"]) == sorted(f["flag"] for f in mine)


@pytest.mark.slow
def test_data_after_the_as_of_date_does_not_change_the_score(wh: HandMade) -> None:
    # given a warehouse scored at AS_OF
    busy_market(wh)
    before = wh.score(AS_OF)
    # when later data arrive: a new rating, a later return, a resubmission of an old period after
    # AS_OF, a council visit and a deregistration after AS_OF
    wh.rating("L3", date(2026, 3, 16), "Inadequate")
    wh.care_home_return("L4", month(AS_OF, 0), occupied_beds=1)
    wh.care_home_return("L5", month(AS_OF, 1), occupied_beds=2, submitted=datetime(2026, 3, 16, 9))
    wh.add("quality_assessments", location_id="L5", visit_date=date(2026, 3, 20), rating="Inadequate",
           assessor="ann")
    with store.warehouse(wh.path, publish=False) as con:
        con.execute("update cqc_locations set deregistration_date = date '2026-04-01' where location_id = 'L2'")
    after = wh.score(AS_OF)
    # then nothing scored at AS_OF changes
    assert after == before
    # and the resubmission counts from the day it arrived
    assert wh.score(date(2026, 3, 16))["L5"]["low_occupancy"]["value"] == 0.05


def test_a_version_superseded_later_still_counts_before_then(wh: HandMade) -> None:
    wh.location("A")
    wh.care_home_return("A", month(AS_OF, 1), occupied_beds=20)  # submitted 5 March
    with store.warehouse(wh.build(), publish=False) as con:
        con.execute("update care_home_returns set superseded_at = timestamp '2026-03-20 10:00', "
                    "superseded_by_batch = 'b2'")
    wh.care_home_return("A", month(AS_OF, 1), occupied_beds=39, submitted=datetime(2026, 3, 20, 10))
    assert "low_occupancy" in wh.flags("A", AS_OF)
    assert "low_occupancy" not in wh.flags("A", date(2026, 3, 21))


def test_rescoring_a_date_replaces_it(wh: HandMade) -> None:
    busy_market(wh)
    wh.build()
    t = load_thresholds()
    first = engine.score(wh.path, t, [AS_OF])[0]
    second = engine.score(wh.path, t, [AS_OF])[0]
    with store.warehouse(wh.path, publish=False) as con:
        n_scores = con.execute("select count(*) from risk_scores").fetchone()[0]
        n_flags = con.execute("select count(*) from risk_flags").fetchone()[0]
    assert first.locations == second.locations == n_scores == 6
    assert n_flags == second.flags
    assert second.thresholds_hash == t.hash


def test_a_council_file_overrides_some_thresholds(wh: HandMade, tmp_path: Path) -> None:
    wh.location("A")
    wh.care_home_return("A", month(AS_OF, 1), occupied_beds=34)  # 85%
    council = tmp_path / "council.toml"
    council.write_text("[indicators.low_occupancy]\nthreshold = 0.86\npoints = 30\n", encoding="utf-8")
    t = load_thresholds(council)
    assert t.indicator("low_occupancy").points == 30 and t.hash != load_thresholds().hash
    assert t.indicator("staff_turnover").params["threshold"] == 0.30  # untouched keys keep defaults
    assert "low_occupancy" not in wh.flags("A", AS_OF)
    assert wh.flags("A", AS_OF, t)["low_occupancy"]["points"] == 30


def test_an_unknown_indicator_in_a_council_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[indicators.low_occupncy]\nthreshold = 0.9\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="low_occupncy"):
        load_thresholds(bad)


def test_rag_follows_the_matrix(wh: HandMade) -> None:
    # given one large home Inadequate with a downgrade, a poor Safe rating and no registered manager:
    # the sum of those five points
    wh.location("red", beds=60, provider_id="a", rated=date(2024, 1, 1), manager=False)
    wh.rating("red", date(2026, 1, 1), "Inadequate", safe="Inadequate")
    wh.location("green", provider_id="b")
    wh.build()
    engine.score(wh.path, load_thresholds(), [AS_OF])
    with store.warehouse(wh.path, publish=False) as con:
        rags = dict(con.execute("select location_id, computed_rag from risk_scores").fetchall())
        lik = dict(con.execute("select location_id, likelihood from risk_scores").fetchall())
    t = load_thresholds()
    expected = sum(t.indicator(n).points for n in ("overall_inadequate", "rating_downgrade", "safe_or_well_led_poor",
                                                   "no_registered_manager", "large_home"))
    assert t.likelihood_bands[1] <= expected < 100  # red band, below the cap
    assert lik["red"] == expected and rags == {"red": "red", "green": "green"}


@pytest.mark.slow
def test_score_command_prints_json_and_rebuilds_monthly(wh: HandMade, capsys) -> None:
    busy_market(wh)
    wh.build()
    assert main(["score", "--db", str(wh.path), "--from", "2026-01-15", "--to", "2026-03-15", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [r["as_of"] for r in runs] == ["2026-01-15", "2026-02-15", "2026-03-15"]
    assert all(r["locations"] == 6 for r in runs)
    # and without a date it scores the latest data date (the newest return submission here)
    assert main(["score", "--db", str(wh.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["as_of"] == "2026-03-05"


def test_score_command_publishes_the_analysts_snapshot(wh: HandMade, capsys) -> None:
    from market_oversight.analyst import latest_snapshot

    busy_market(wh)
    wh.build()
    assert main(["score", "--db", str(wh.path), "--as-of", AS_OF.isoformat()]) == 0
    assert "analysts' snapshot:" in capsys.readouterr().out
    with store.warehouse(latest_snapshot(wh.path), read_only=True) as con:  # the copy holds the scores
        assert con.execute("select count(*) from risk_scores where as_of = $d", {"d": AS_OF}).fetchone()[0] == 6


def test_score_command_can_skip_the_snapshot(wh: HandMade, capsys) -> None:
    busy_market(wh)
    wh.build()
    assert main(["score", "--db", str(wh.path), "--as-of", AS_OF.isoformat(), "--no-snapshot"]) == 0
    assert "analysts' snapshot" not in capsys.readouterr().out
    assert not list(wh.path.parent.glob("*.snapshots/market-*.duckdb"))
