"""CQC import from the public API (served from the real Oldham responses on 127.0.0.1) and from
the saved-response folder: every location, its kind, status, latest rating and full history."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from market_oversight.errors import SourceError, UnknownSourceFormat
from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.ingest.cqc_api import CqcApiError, RetryPolicy
from tests.cqc_api_server import API_KEY, FakeCqcApi

OLDHAM = "cqc_api_json_oldham_2025-03"
SNAPSHOT = date(2025, 3, 13)  # the latest date in the Oldham data (a registration date)
UNRATED = {"No published rating", "Inspected but not rated", "Insufficient evidence to rate"}
KQ = {"Safe": "safe", "Effective": "effective", "Caring": "caring", "Responsive": "responsive",
      "Well-led": "well_led"}
FAST = RetryPolicy(attempts=3, base_delay=0.01)


def canonical(rating: str) -> str:
    return "Not rated" if rating in UNRATED else rating


def oldham_records(realdata: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((realdata / OLDHAM / "location_details").glob("location_*.json"))]


def expected_history(records: list[dict]) -> set[tuple[str, date, str, str]]:
    """(location, report date, key question, rating) straight from the JSON: current ratings then
    historic ones, each key question at its own report date where it has one; undated ratings are
    observed at the snapshot date; the first of two entries for one date and question wins."""
    out: dict[tuple[str, date, str], str] = {}

    def add(lid: str, day: str | None, question: str, rating: str) -> None:
        when = date.fromisoformat(day) if day else SNAPSHOT
        out.setdefault((lid, when, question), canonical(rating))

    for rec in records:
        lid = rec["locationId"]
        current = rec.get("currentRatings") or {}
        blocks = [(current.get("overall"), current.get("reportDate"))]
        blocks += [(h.get("overall"), h["reportDate"]) for h in rec.get("historicRatings") or []]
        for overall, day in blocks:
            if not overall:
                continue
            day = overall.get("reportDate") or day
            add(lid, day, "overall", overall["rating"])
            for kq in overall.get("keyQuestionRatings") or []:
                add(lid, kq.get("reportDate") or day, KQ[kq["name"]], kq["rating"])
    return {(k[0], k[1], k[2], v) for k, v in out.items()}


def check_oldham(db: Path, realdata: Path) -> None:
    records = oldham_records(realdata)
    con = duckdb.connect(str(db), read_only=True)
    try:
        locations = {r[0]: r for r in con.execute(
            "select location_id, service_kind, is_active, deregistration_date, "
            "latest_overall_rating, icb_code, has_registered_manager from mart.locations").fetchall()}
        history = set(con.execute(
            "select location_id, report_date, key_question, rating from mart.ratings").fetchall())
        snapshot = con.execute("select max(snapshot_date) from cqc_locations").fetchone()[0]
    finally:
        con.close()

    assert len(locations) == len(records) == 451
    assert sum(1 for r in locations.values() if r[1] == "care_home") == 87
    home_care = {r["locationId"] for r in records if r["careHome"] != "Y" and any(
        g["description"] == "Domiciliary care service" for g in r["gacServiceTypes"])}
    assert {k for k, r in locations.items() if r[1] == "home_care"} == home_care
    assert sum(1 for r in locations.values() if r[2] is True) == 216
    assert sum(1 for r in locations.values() if r[2] is False and r[3] is not None) == 235
    assert snapshot == SNAPSHOT

    expected = expected_history(records)
    assert history == expected
    historic_overall = {(r["locationId"], date.fromisoformat(h["reportDate"]), canonical(h["overall"]["rating"]))
                        for r in records for h in r.get("historicRatings") or [] if "overall" in h}
    assert len(historic_overall) == 317
    assert historic_overall <= {(l, d, r) for l, d, q, r in history if q == "overall"}

    for rec in records:
        row = locations[rec["locationId"]]
        overall = [(d, r) for l, d, q, r in expected if l == rec["locationId"] and q == "overall"]
        assert row[4] == (max(overall)[1] if overall else None), rec["locationId"]
        assert row[5] == rec.get("onspdIcbCode")
        if rec.get("registeredManagerAbsentDate"):
            assert row[6] is False


def table_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]  # names from this list
                for t in ("cqc_locations", "cqc_ratings", "cqc_providers", "ingest_batches", "quarantine")}
    finally:
        con.close()


def test_folder_import_gives_every_location_kind_status_and_full_history(db_path, realdata):
    # given the saved Oldham API responses
    folder = realdata / OLDHAM
    # when they are imported through the folder path
    result = ingest_cqc(db_path, str(folder), local_authority=None, api_key=None, progress=False)
    # then every location is loaded, none quarantined, and the warehouse matches the JSON
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == \
        ("loaded", 451, 451, 0)
    check_oldham(db_path, realdata)


def test_folder_import_twice_changes_nothing(db_path, realdata):
    # given an imported folder
    folder = str(realdata / OLDHAM)
    first = ingest_cqc(db_path, folder, local_authority=None, api_key=None, progress=False)
    before = table_counts(db_path)
    # when the same folder is imported again
    second = ingest_cqc(db_path, folder, local_authority=None, api_key=None, progress=False)
    # then it is recognised and nothing changes
    assert second.status == "already_loaded" and second.batch_id == first.batch_id
    assert table_counts(db_path) == before


@pytest.mark.slow
def test_url_import_follows_paging_retries_and_matches_the_json(db_path, realdata):
    # given the Oldham responses served over HTTP, one record answering 429 first, one 503 first
    with FakeCqcApi(realdata / OLDHAM) as api:
        ids = [r["locationId"] for r in api.listing]
        api.fail_first = {f"/public/v1/locations/{ids[0]}": [429],
                          f"/public/v1/locations/{ids[1]}": [503]}
        # when the API is imported with the key and the local-authority filter
        result = ingest_cqc(db_path, api.base_url, local_authority="Oldham", api_key=API_KEY,
                            progress=True, retry=FAST)
        hits = dict(api.hits)
    # then paging was followed, each failing record was retried once, and the data is complete
    assert (result.status, result.rows_read, result.rows_quarantined) == ("loaded", 451, 0)
    assert hits["/public/v1/locations"] == 3  # 451 locations in pages of 200
    assert hits[f"/public/v1/locations/{ids[0]}"] == 2
    assert hits[f"/public/v1/locations/{ids[1]}"] == 2
    check_oldham(db_path, realdata)


@pytest.mark.slow
def test_url_import_twice_and_after_the_folder_changes_nothing(db_path, realdata):
    # given the Oldham folder already imported
    ingest_cqc(db_path, str(realdata / OLDHAM), local_authority=None, api_key=None, progress=False)
    before = table_counts(db_path)
    with FakeCqcApi(realdata / OLDHAM) as api:
        # when the same content is pulled over HTTP, twice
        results = [ingest_cqc(db_path, api.base_url, local_authority="Oldham", api_key=API_KEY,
                              progress=False, retry=FAST) for _ in range(2)]
    # then the same bytes are recognised and nothing is added
    assert [r.status for r in results] == ["already_loaded", "already_loaded"]
    assert table_counts(db_path) == before


@pytest.mark.slow
def test_the_key_comes_from_the_environment(db_path, realdata, monkeypatch):
    # given the key only in $CQC_API_KEY
    monkeypatch.setenv("CQC_API_KEY", API_KEY)
    with FakeCqcApi(realdata / OLDHAM) as api:
        # when imported without --api-key
        result = ingest_cqc(db_path, api.base_url, local_authority="Oldham", api_key=None,
                            progress=False, retry=FAST)
    # then the key header was sent and accepted
    assert result.rows_loaded == 451


def test_a_refused_key_is_a_clean_error_and_loads_nothing(db_path, realdata, monkeypatch):
    monkeypatch.delenv("CQC_API_KEY", raising=False)
    with FakeCqcApi(realdata / OLDHAM) as api:
        with pytest.raises(CqcApiError, match="api-key"):
            ingest_cqc(db_path, api.base_url, local_authority="Oldham", api_key="wrong",
                       progress=False, retry=FAST)
    assert not db_path.exists()


def test_a_server_failing_forever_gives_up_after_bounded_retries(db_path, realdata):
    # given an API that answers 500 to everything
    with FakeCqcApi(realdata / OLDHAM) as api:
        api.always_fail = 500
        # when imported
        with pytest.raises(CqcApiError, match="after 3 attempts") as caught:
            ingest_cqc(db_path, api.base_url, local_authority="Oldham", api_key=API_KEY,
                       progress=False, retry=FAST)
        hits = sum(api.hits.values())
    # then it tried exactly three times, named the address, and loaded nothing
    assert hits == 3
    assert "/locations" in str(caught.value) and "HTTP 500" in str(caught.value)
    assert not db_path.exists()


def test_a_folder_without_locations_json_is_rejected(db_path, tmp_path, realdata):
    # given a folder holding only location files
    folder = tmp_path / "saved"
    (folder / "location_details").mkdir(parents=True)
    src = next((realdata / OLDHAM / "location_details").glob("*.json"))
    (folder / "location_details" / src.name).write_bytes(src.read_bytes())
    # when imported, then the error says what was expected
    with pytest.raises(UnknownSourceFormat, match="locations.json"):
        ingest_cqc(db_path, str(folder), local_authority=None, api_key=None, progress=False)
    assert not db_path.exists()


def test_a_listed_location_without_its_record_is_quarantined(db_path, tmp_path, realdata):
    # given a saved listing of three locations, one of whose record files is missing and one junk
    folder = tmp_path / "saved"
    (folder / "location_details").mkdir(parents=True)
    listing = json.loads((realdata / OLDHAM / "locations.json").read_text())
    listing["locations"] = listing["locations"][:3]
    (folder / "locations.json").write_text(json.dumps(listing))
    first, second, third = (item["locationId"] for item in listing["locations"])
    src = realdata / OLDHAM / "location_details" / f"location_{first}.json"
    (folder / "location_details" / src.name).write_bytes(src.read_bytes())
    (folder / "location_details" / f"location_{third}.json").write_bytes(b"\x00\x01 not json")
    # when imported
    result = ingest_cqc(db_path, str(folder), local_authority=None, api_key=None, progress=False)
    # then one loads, two are quarantined with the rule and the file named
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 1, 2)
    con = duckdb.connect(str(db_path), read_only=True)
    rows = con.execute("select location_id, rules, messages from quarantine order by row_number").fetchall()
    con.close()
    assert [r[0] for r in rows] == [second, third]
    assert all(r[1] == ["unreadable_record"] for r in rows)
    assert f"location_{second}.json" in rows[0][2][0]


def test_a_missing_source_is_a_source_error(db_path, tmp_path):
    with pytest.raises(SourceError, match="no such file or folder"):
        ingest_cqc(db_path, str(tmp_path / "nowhere.csv"), local_authority=None, api_key=None,
                   progress=False)


def test_legacy_ratings_are_set_aside_counted_and_listed_while_the_location_loads(db_path, tmp_path):
    # given a saved API folder with one record whose 2014 report is a compliance judgement, not a rating
    record = {
        "locationId": "1-000000001", "providerId": "1-000000002", "name": "Beech House",
        "careHome": "Y", "registrationStatus": "Registered", "registrationDate": "2011-01-04",
        "currentRatings": {"reportDate": "2019-05-01", "overall": {"rating": "Good", "reportDate": "2019-05-01"}},
        "historicRatings": [{"reportDate": "2014-06-25", "overall": {
            "rating": "No action", "keyQuestionRatings": [{"name": "Safe", "rating": "Compliance action"}]}}],
    }
    folder = tmp_path / "saved"
    (folder / "location_details").mkdir(parents=True)
    (folder / "locations.json").write_text(json.dumps(
        {"total": 1, "locations": [{"locationId": record["locationId"], "locationName": record["name"]}]}))
    (folder / "location_details" / "location_1-000000001.json").write_text(json.dumps(record))
    # when it is imported, and then again
    first, again = (ingest_cqc(db_path, str(folder), local_authority=None, api_key=None, progress=False)
                    for _ in range(2))
    # then the location and its rating load, the batch counts the two words set aside and the
    # quarantine lists them under the location (not counted as a quarantined row)
    assert (first.rows_read, first.rows_loaded, first.rows_quarantined, first.ratings_set_aside) == (1, 1, 0, 2)
    assert "2 ratings set aside" in first.summary()
    assert (again.status, again.ratings_set_aside) == ("already_loaded", 2)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        ratings = con.execute("select report_date, key_question, rating from mart.ratings").fetchall()
        batch = con.execute("select rows_quarantined, ratings_set_aside from mart.ingest_batches "
                            "where dataset = 'cqc_register'").fetchall()
        quarantined = con.execute("select location_id, provider_id, rules, raw from mart.quarantine").fetchall()
    finally:
        con.close()
    assert ratings == [(date(2019, 5, 1), "overall", "Good")]
    assert batch == [(0, 2)]
    assert [q[:3] for q in quarantined] == [("1-000000001", "1-000000002", ["legacy_rating", "legacy_rating"])]
    assert json.loads(quarantined[0][3]) == {
        "historicRatings[0].overall.rating": "No action",
        "historicRatings[0].overall.keyQuestionRatings[0].rating": "Compliance action"}
