"""`calibrate` on hand-made histories, the hard floors and the rank caps of the RAG."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.risk.conftest import HandMade, month
from market_oversight import store
from market_oversight.cli import main
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds

AS_OF = date(2026, 3, 15)


def planted(wh: HandMade) -> None:
    """80 homes rated in January 2016: the 40 rated Requires improvement are each rated Inadequate
    later (one a month from September 2016); of the 40 rated Good, four are."""
    for i in range(80):
        loc = f"h{i:02d}"
        wh.location(loc, provider_id=f"p{i}", rated=None, registered=date(2014, 1, 1))
        wh.rating(loc, date(2016, 1, 1), "Requires improvement" if i < 40 else "Good")
        if i < 40:
            wh.rating(loc, month(date(2016, 10, 1), -(i % 36)), "Inadequate")
        elif i % 10 == 0:
            wh.rating(loc, month(date(2016, 10, 1), -((i * 7) % 36)), "Inadequate")
    wh.location("last", provider_id="pl", rated=None)
    wh.rating("last", date(2019, 12, 1), "Good")  # the history runs to December 2019


@pytest.mark.slow
def test_calibrate_recovers_a_planted_effect_and_writes_a_loadable_file(wh: HandMade, tmp_path: Path,
                                                                        capsys) -> None:
    # given a history where Requires improvement is followed by Inadequate far more often than Good
    planted(wh)
    wh.build()
    out = tmp_path / "fitted.toml"
    # when it is calibrated with a 6-month horizon
    assert main(["calibrate", "--db", str(wh.path), "--horizon-months", "6", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # then the fit saw only dates whose horizon ends before the split, and found the planted effect
    split = date.fromisoformat(report["split_date"])
    assert date.fromisoformat(report["fit_as_of"][1]).replace(day=1) < month(split, 6)
    points = {f["feature"]: f["points"] for f in report["features"]}
    assert points["overall_requires_improvement"] >= 20  # odds several times Good's: 20 x ln(odds ratio)
    assert all(points["overall_requires_improvement"] > p for f, p in points.items()
               if f.startswith("rating_overdue"))
    # and the file it wrote loads, with the fitted points and bands
    fitted = load_thresholds(out)
    assert fitted.indicator("overall_requires_improvement").points == points["overall_requires_improvement"]
    assert list(fitted.likelihood_bands) == report["likelihood_bands"]
    assert fitted.raw["calibration"]["split_date"] == report["split_date"]
    assert report["after_split"]["roc_auc"] is not None and report["after_split"]["reliability"]


def test_calibrate_refuses_a_history_too_short_to_fit(wh: HandMade, tmp_path: Path, capsys) -> None:
    # given two homes and three reports in two years: no more than a handful of events
    wh.location("a", provider_id="a", rated=None)
    wh.rating("a", date(2022, 1, 1), "Good")
    wh.rating("a", date(2023, 6, 1), "Inadequate")
    wh.location("b", provider_id="b", rated=None)
    wh.rating("b", date(2024, 1, 1), "Good")
    wh.build()
    out = tmp_path / "fitted.toml"
    # when it is calibrated
    code = main(["calibrate", "--db", str(wh.path), "--horizon-months", "6", "--out", str(out)])
    # then it stops with a named, plain message and writes nothing
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "at least 20 are needed to fit; nothing was written" in err


def rags(wh: HandMade, as_of: date = AS_OF, thresholds=None) -> dict[str, str]:
    wh.build()
    with store.warehouse(wh.path, publish=False) as con:
        engine.compute(con, as_of, thresholds or load_thresholds())
        return dict(con.execute("select location_id, computed_rag from stage_scores").fetchall())


@pytest.mark.slow
def test_hard_floors_inadequate_and_suspension_in_force_are_red(wh: HandMade, tmp_path: Path) -> None:
    # given an Inadequate home scored with no points for Inadequate, a suspended home, a home whose
    # suspension was lifted, and 20 healthy homes
    quiet = tmp_path / "quiet.toml"
    quiet.write_text("[indicators.overall_inadequate]\npoints = 0\n")
    wh.location("inadequate", provider_id="a", rated=None)
    wh.rating("inadequate", date(2026, 1, 1), "Inadequate")
    wh.location("suspended", provider_id="b")
    wh.location("lifted", provider_id="c")
    for i in range(20):
        wh.location(f"ok{i}", provider_id=f"ok{i}")
    wh.add("placement_suspensions", location_id="suspended", imposed_on=date(2026, 2, 1), reason="x",
           imposed_by="ann")
    wh.add("placement_suspensions", location_id="lifted", imposed_on=date(2025, 12, 1), reason="x",
           imposed_by="ann", lifted_on=date(2026, 3, 1))
    # when scored
    scored = rags(wh, thresholds=load_thresholds(quiet))
    # then both floors make red, whatever the points; a lifted suspension does not
    assert scored["inadequate"] == "red" and scored["suspended"] == "red"
    assert scored["lifted"] == "green" and scored["ok0"] == "green"
    # and without the floors neither is red
    none = tmp_path / "none.toml"
    none.write_text("[rag]\nred_floors = []\n[indicators.overall_inadequate]\npoints = 0\n")
    unfloored = rags(wh, thresholds=load_thresholds(none))
    assert unfloored["inadequate"] != "red" and unfloored["suspended"] == "green"


@pytest.mark.slow
def test_rank_caps_keep_a_tie_wholly_in_or_out(wh: HandMade, tmp_path: Path) -> None:
    # given 20 homes, one rated Requires improvement (amber on its points, set here to 30), the others
    # Good and recent
    amber = tmp_path / "amber.toml"
    amber.write_text("[indicators.overall_requires_improvement]\npoints = 30\n")
    thresholds = load_thresholds(amber)
    assert thresholds.likelihood_bands[0] <= 30 < thresholds.likelihood_bands[1]
    for i in range(20):
        wh.location(f"h{i}", provider_id=f"p{i}", beds=30)  # not large_home
    wh.rating("h0", date(2026, 1, 1), "Requires improvement")
    assert rags(wh, thresholds=thresholds)["h0"] == "amber"  # 1 of 20 score as high: 5%, within red+amber 20%
    # when four more are rated Requires improvement: five tied, 25% of homes, over the 20% cap
    for i in range(1, 5):
        wh.rating(f"h{i}", date(2026, 1, 1), "Requires improvement")
    scored = rags(wh, thresholds=thresholds)
    # then the tie is wholly out, not cut by an arbitrary order
    assert {scored[f"h{i}"] for i in range(5)} == {"green"}
