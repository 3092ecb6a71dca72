"""The demo command end to end: real DuckDB files, the real importers, casework and hidden truth."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from market_oversight.cli import main
from market_oversight.config import settings_from
from market_oversight.demo.build import build_demo
from tests.demo_cache import demo_with_files

TRUTH = ("select * from demo_truth.location_months order by all",
         "select * from demo_truth.events order by all")
CASEWORK = ("select * exclude (suspension_id) from placement_suspensions order by all",
            "select * exclude (assessment_id) from quality_assessments order by all")


def _rows(path: Path, queries: tuple[str, ...]) -> list[list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [con.execute(q).fetchall() for q in queries]
    finally:
        con.close()


@pytest.mark.slow
def test_demo_command_writes_truth_casework_and_keeps_the_files(tmp_path, capsys):
    # given an empty folder
    db = tmp_path / "demo.duckdb"
    # when the demo command runs with --files (the tiny market: the same sources, built in seconds)
    code = main(["demo", "--db", str(db), "--seed", "1", "--scale", "tiny", "--files", str(tmp_path / "files")])
    # then it succeeds, says what it did, and leaves a filled-in template of every source
    out = capsys.readouterr().out
    assert code == 0 and "demo market 'tiny' (seed 1): 23 locations" in out
    assert (tmp_path / "files" / "cqc_api" / "locations.json").is_file()
    assert any((tmp_path / "files" / "returns").glob("care_home_returns_2025-01.*"))
    assert list((tmp_path / "files" / "fees").glob("fee_rates_*"))
    months, _ = _rows(db, TRUTH)
    assert 0 < len(months) <= 23 * 24  # at most every service in every month of the two years
    suspensions, visits = _rows(db.with_name("demo.casework.duckdb"), CASEWORK)
    assert visits and {v[4] for v in visits} == {"demo"}
    assert {s[3] for s in suspensions} <= {"demo"}


def test_the_local_demo_has_every_kind_of_event_and_its_casework():
    # given the local demo (seed 1), as the suite builds it once
    db, _, _ = demo_with_files()
    months, events = _rows(db, TRUTH)
    # then its hidden truth holds every kind of event, five years of months, and demo casework
    assert {"downgrade", "closure", "staffing_crisis", "manager_change", "owner_distress",
            "fee_pressure"} <= {e[2] for e in events}
    assert len(months) > 10_000
    suspensions, visits = _rows(db.with_name("demo.casework.duckdb"), CASEWORK)
    assert suspensions and visits
    assert {s[3] for s in suspensions} == {"demo"} and {v[4] for v in visits} == {"demo"}


@pytest.mark.slow
def test_same_seed_twice_gives_the_same_warehouse_content_and_another_seed_does_not(tmp_path):
    a, b, c = (tmp_path / f"{n}.duckdb" for n in "abc")
    for db, seed in ((a, 5), (b, 5), (c, 6)):
        build_demo(db, settings_from(None), seed=seed, scale="tiny")
    assert _rows(a, TRUTH) == _rows(b, TRUTH) != _rows(c, TRUTH)
    cw = lambda p: _rows(p.with_name(p.stem + ".casework.duckdb"), CASEWORK)  # noqa: E731
    assert cw(a) == cw(b) != cw(c)


@pytest.mark.slow
def test_building_twice_into_the_same_warehouse_does_not_duplicate(tmp_path):
    db = tmp_path / "w.duckdb"
    build_demo(db, settings_from(None), seed=2, scale="tiny")
    first = _rows(db, TRUTH)
    build_demo(db, settings_from(None), seed=2, scale="tiny")
    assert _rows(db, TRUTH) == first


def test_demo_cli_rejects_an_unknown_scale(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--db", str(tmp_path / "x.duckdb"), "--scale", "county"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_demo_register_round_trips_through_the_cqc_importer():
    # given the local demo built with the real CQC importer
    db, files, summary = demo_with_files()
    details = [json.loads(p.read_text()) for p in (files / "cqc_api" / "location_details").glob("*.json")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        # then every location is there, of the right kind and status, with its latest rating
        got = {r[0]: r[1:] for r in con.execute(
            "select location_id, service_kind, is_active, latest_overall_rating from mart.locations"
        ).fetchall()}
        assert len(got) == len(details) == 218
        for d in details:
            kind = ("care_home" if d["careHome"] == "Y" else
                    "home_care" if d["gacServiceTypes"][0]["name"] == "Homecare agencies" else "other")
            latest = d.get("currentRatings", {}).get("overall", {}).get("rating")
            assert got[d["locationId"]] == (kind, d["registrationStatus"] == "Registered", latest)
        # and the full rating history: one overall rating per published report
        reports = sum(len(d.get("reports", [])) for d in details)
        overall = con.execute("select count(*) from cqc_ratings where key_question = 'overall'").fetchone()[0]
        assert overall == reports
    finally:
        con.close()


def test_demo_returns_fees_and_benchmarks_round_trip_through_the_importer():
    db, _, summary = demo_with_files()
    assert summary["statuses"].get("rejected", 0) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from care_home_returns").fetchone()[0] > 5000
        assert con.execute("select count(*) from home_care_returns").fetchone()[0] > 4000
        assert con.execute("select count(*) from quarantine").fetchone()[0] > 0
        assert con.execute("select count(*) from care_home_returns where superseded_at is not null"
                           ).fetchone()[0] > 0
        assert con.execute("select count(*) from benchmarks where amount = 32.14").fetchone()[0] == 1
    finally:
        con.close()
