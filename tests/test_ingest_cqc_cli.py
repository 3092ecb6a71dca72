"""`market-oversight ingest cqc` as a user runs it: a real subprocess, --json output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from market_oversight.paths import PROJECT_ROOT

DEVON = "cqc_history_care_homes_devon_plymouth_2021-02"
COMMUNITY = "cqc_history_community_asc_england_2025-02_part"
# Every word the real histories use, spelt as read, and what it is stored as (None: set aside).
WORDS = {"Outstanding": "Outstanding", "Good": "Good", "Requires improvement": "Requires improvement",
         "Requires Improvement": "Requires improvement", "Inadequate": "Inadequate",
         "Inspected but not rated": "Not rated", "No published rating": "Not rated",
         "No action": None, "Compliance action": None}
KQ = {"Safe": "safe", "Effective": "effective", "Caring": "caring", "Responsive": "responsive",
      "Well-led": "well_led"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "market_oversight", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_cli_json_reports_the_batch_then_already_loaded(db_path: Path, realdata: Path):
    # given the saved Oldham folder
    folder = str(realdata / "cqc_api_json_oldham_2025-03")
    # when imported twice through the command line with --json
    first = run("ingest", "cqc", folder, "--db", str(db_path), "--json")
    second = run("ingest", "cqc", folder, "--db", str(db_path), "--json")
    # then each prints one JSON object with the batch result and exits 0
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert {"dataset", "batch_id", "status", "rows_read", "rows_loaded", "rows_quarantined"} <= set(out)
    assert (out["dataset"], out["status"], out["rows_read"], out["rows_loaded"], out["rows_quarantined"]) \
        == ("cqc_register", "loaded", 451, 451, 0)
    again = json.loads(second.stdout)
    assert (again["status"], again["batch_id"]) == ("already_loaded", out["batch_id"])


def test_cli_unrecognised_source_exits_2_saying_what_it_expected(db_path: Path, tmp_path: Path):
    # given a CSV that is not a CQC file
    source = tmp_path / "fees.csv"
    source.write_text("Local authority,Fee\nWirral,812.50\n", encoding="utf-8")
    # when imported
    result = run("ingest", "cqc", str(source), "--db", str(db_path), "--json")
    # then it exits 2 with a one-line message naming the file and the expected column
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(source) in result.stderr and "Location ID" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db_path.exists()


def read_history(folder: Path) -> tuple[set[tuple[str, date, str, str]], dict[str, int]]:
    """Straight from the JSON: the ratings a folder should store (location, report date, key
    question, rating; the current entry first, the first of two for one date and question wins),
    and per location the number of legacy words (No action, Compliance action) it holds."""
    kept: dict[tuple[str, date, str], str] = {}
    legacy: dict[str, int] = {}
    for path in sorted((folder / "location_details").glob("location_*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        lid, current = record["locationId"], record.get("currentRatings") or {}
        blocks = [(current.get("overall"), current.get("reportDate"))]
        blocks += [(h.get("overall"), h.get("reportDate")) for h in record.get("historicRatings") or []]
        for overall, day in blocks:
            if not overall:
                continue
            day = overall.get("reportDate") or day
            entries = [("overall", overall.get("rating"), day)]
            entries += [(KQ[k["name"]], k.get("rating"), k.get("reportDate") or day)
                        for k in overall.get("keyQuestionRatings") or []]
            for question, word, when in entries:
                if word is None:
                    continue
                if WORDS[word] is None:
                    legacy[lid] = legacy.get(lid, 0) + 1
                else:
                    kept.setdefault((lid, date.fromisoformat(when), question), WORDS[word])
    return {(*k, v) for k, v in kept.items()}, legacy


def warehouse_rows(db: Path) -> tuple[set, list, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        ratings = set(con.execute(
            "select location_id, report_date, key_question, rating from mart.ratings").fetchall())
        quarantined = con.execute("select location_id, rules from mart.quarantine").fetchall()
        locations = con.execute("select count(*) from mart.locations").fetchone()[0]
    finally:
        con.close()
    return ratings, quarantined, locations


def test_real_care_home_histories_load_every_location_setting_aside_only_legacy_words(
        db_path: Path, realdata: Path):
    # given the real Devon and Plymouth care homes, five of which have pre-2014 compliance
    # judgements in their history, counted here from the JSON
    folder = realdata / DEVON
    expected_ratings, legacy = read_history(folder)
    assert (len(legacy), sum(legacy.values())) == (5, 30)
    # when the folder is imported through the command line
    result = run("ingest", "cqc", str(folder), "--db", str(db_path), "--json")
    # then every location loads, none is quarantined, and exactly the legacy words are set aside
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["status"], out["rows_read"], out["rows_loaded"], out["rows_quarantined"]) == \
        ("loaded", 421, 421, 0)
    assert out["ratings_set_aside"] == sum(legacy.values())
    ratings, quarantined, locations = warehouse_rows(db_path)
    assert locations == 421
    # every valid rating is stored, those of the five homes included, and nothing else
    assert ratings == expected_ratings
    assert {r[0] for r in ratings} >= set(legacy)
    # and the quarantine lists each word set aside under its location
    assert {lid: len(rules) for lid, rules in quarantined} == legacy
    assert {rule for _, rules in quarantined for rule in rules} == {"legacy_rating"}


@pytest.mark.slow
def test_real_community_histories_load_every_location(db_path: Path, realdata: Path):
    # given the real community adult social care histories (10,469 locations, 3,991 closed)
    folder = realdata / COMMUNITY
    expected_ratings, legacy = read_history(folder)
    # when imported through the command line (about 3 s on the shared 2-core machine)
    result = run("ingest", "cqc", str(folder), "--db", str(db_path), "--json")
    # then no location is lost and every rating is stored
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["rows_read"], out["rows_loaded"], out["rows_quarantined"], out["ratings_set_aside"]) == \
        (10469, 10469, 0, sum(legacy.values()))
    ratings, quarantined, locations = warehouse_rows(db_path)
    assert (locations, quarantined) == (10469, [])
    assert ratings == expected_ratings
