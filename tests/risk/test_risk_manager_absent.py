"""no_registered_manager dated: raised from CQC's registeredManagerAbsentDate on, its value the months
absent; the snapshot-date rule where no date is known. The date is imported from the API records."""

from __future__ import annotations

import pytest
import json
from datetime import date
from pathlib import Path

import duckdb

from tests.risk.conftest import HandMade
from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.ingest.cqc_api_records import staged_from_api
from market_oversight.ingest.cqc_rows import NormalisedLocation, normalise_location

ABSENT_SINCE = date(2025, 12, 15)
SNAPSHOT = date(2026, 6, 1)   # the register that records the date is later than every as-of date


def manager_flag(wh: HandMade, as_of: date) -> dict | None:
    return wh.flags("absent", as_of).get("no_registered_manager")


@pytest.mark.slow
def test_raised_from_the_absent_date_on_with_the_months_absent(wh: HandMade) -> None:
    wh.location("absent", manager_absent_since=ABSENT_SINCE, snapshot=SNAPSHOT)
    assert manager_flag(wh, date(2025, 12, 14)) is None                     # the day before
    at = manager_flag(wh, ABSENT_SINCE)                                       # the day itself
    assert at is not None and at["value"] == 0
    assert at["message"] == "No registered manager since 15 December 2025 (0 months)"
    assert json.loads(at["evidence"])["absent_since"] == "2025-12-15"
    assert manager_flag(wh, date(2025, 12, 16))["value"] == 0                # the day after
    assert manager_flag(wh, date(2026, 1, 14))["value"] == 0                 # a day short of a month
    assert manager_flag(wh, date(2026, 1, 15))["value"] == 1                 # a month
    assert manager_flag(wh, date(2026, 1, 15))["message"].endswith("(1 month)")
    assert manager_flag(wh, date(2027, 3, 16))["value"] == 15


def test_a_month_end_date_counts_a_month_at_the_next_month_end(wh: HandMade) -> None:
    wh.location("absent", manager_absent_since=date(2026, 1, 31), snapshot=SNAPSHOT)
    assert manager_flag(wh, date(2026, 2, 27))["value"] == 0
    assert manager_flag(wh, date(2026, 2, 28))["value"] == 1


def test_without_a_date_the_snapshot_rule_still_holds(wh: HandMade) -> None:
    wh.location("absent", manager=False, snapshot=date(2026, 3, 15))
    assert manager_flag(wh, date(2026, 3, 14)) is None
    undated = manager_flag(wh, date(2026, 3, 15))
    assert undated["value"] is None
    assert undated["message"] == "No registered manager on the CQC register of 15 March 2026"
    assert manager_flag(wh, date(2026, 3, 16)) is not None


def api_record(absent: str | None) -> dict:
    record = {"locationId": "1-000000001", "providerId": "1-000000002", "name": "Beech House",
              "careHome": "Y", "registrationStatus": "Registered", "registrationDate": "2011-01-04"}
    if absent is not None:
        record["registeredManagerAbsentDate"] = absent
    return record


def test_the_api_date_is_read_day_first() -> None:
    n = normalise_location(staged_from_api(api_record("05/12/2018"), 1, "location_1-000000001.json"))
    assert isinstance(n, NormalisedLocation)
    assert n.values["registered_manager_absent_date"] == date(2018, 12, 5)
    assert n.values["has_registered_manager"] is False
    none = normalise_location(staged_from_api(api_record(None), 1))
    assert none.values["registered_manager_absent_date"] is None


def test_a_bad_absent_date_quarantines_the_record_naming_file_row_and_field(db_path: Path, tmp_path: Path) -> None:
    # given a saved API folder whose second record has a date that does not exist
    folder = tmp_path / "saved"
    (folder / "location_details").mkdir(parents=True)
    good, bad = api_record("05/12/2018"), api_record("31/02/2019") | {"locationId": "1-000000003"}
    (folder / "locations.json").write_text(json.dumps({"total": 2, "locations": [
        {"locationId": r["locationId"]} for r in (good, bad)]}))
    for r in (good, bad):
        (folder / "location_details" / f"location_{r['locationId']}.json").write_text(json.dumps(r))
    # when imported
    result = ingest_cqc(db_path, str(folder), local_authority=None, api_key=None, progress=False)
    # then the good one loads with its date; the bad one is quarantined, as a bad registration date is
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        loaded = con.execute("select location_id, registered_manager_absent_date from cqc_locations").fetchall()
        row, rules, messages = con.execute("select row_number, rules, messages from quarantine").fetchall()[0]
    finally:
        con.close()
    assert loaded == [("1-000000001", date(2018, 12, 5))]
    assert (row, rules) == (2, ["bad_date"])
    assert messages[0].startswith("registered_manager_absent_date: cannot read '31/02/2019' as a date")
    assert "location_1-000000003.json" in messages[0]


def test_the_real_devon_folder_keeps_every_absent_date(db_path: Path, realdata: Path) -> None:
    # given the Devon and Plymouth care homes as saved from the API in February 2021
    folder = realdata / "cqc_history_care_homes_devon_plymouth_2021-02"
    dated = {}
    for path in (folder / "location_details").glob("*.json"):
        record = json.loads(path.read_text())
        if record.get("registeredManagerAbsentDate"):
            day, month, year = record["registeredManagerAbsentDate"].split("/")
            dated[record["locationId"]] = date(int(year), int(month), int(day))
    # when imported
    ingest_cqc(db_path, str(folder), local_authority=None, api_key=None, progress=False)
    # then every home with a date has it, and no other home has one
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        stored = dict(con.execute("select location_id, registered_manager_absent_date from cqc_locations "
                                  "where registered_manager_absent_date is not null").fetchall())
        unmanaged = con.execute("select count(*) from cqc_locations where has_registered_manager = false"
                                ).fetchall()[0][0]
    finally:
        con.close()
    assert len(dated) == 49
    assert stored == dated
    assert unmanaged == 49


def test_the_real_devon_folder_keeps_every_brand(db_path: Path, realdata: Path) -> None:
    # given the Devon and Plymouth care homes, 80 of them with a brand (brandId, brandName)
    folder = realdata / "cqc_history_care_homes_devon_plymouth_2021-02"
    brands = {}
    for path in (folder / "location_details").glob("*.json"):
        record = json.loads(path.read_text())
        if record.get("brandId"):
            brands[record["locationId"]] = (record["brandId"], record["brandName"])
    # when imported
    ingest_cqc(db_path, str(folder), local_authority=None, api_key=None, progress=False)
    # then each keeps its brand, and no other location has one (group_stress groups by them)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        stored = {loc: (bid, name) for loc, bid, name in con.execute(
            "select location_id, brand_id, brand_name from cqc_locations where brand_id is not null").fetchall()}
    finally:
        con.close()
    assert len(brands) == 80
    assert stored == brands
