"""CQC bulk files: HSCA active-locations files built in the tests from the real header (CSV with a
banner, XLSX and ODS with a README sheet first), the real ASC locations CSV head, and bad files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from market_oversight.config import settings_from
from market_oversight.errors import InputTooLarge, MissingColumns, SourceError, UnknownSourceFormat
from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.ingest.limits import InputLimits
from market_oversight.paths import PROJECT_ROOT
from tests.conftest import query

ASC_HEAD = "cqc_asc_locations_with_subratings_2025-08_head.csv"
# The observed HSCA_Active_Locations header (PROVENANCE.md), first 39 columns, then one-hot columns.
HSCA_HEADER = [
    "Location ID", "Location HSCA start date", "Dormant (Y/N)", "Care home?", "Location Name",
    "Location ODS Code", "Location Telephone Number", "Registered manager", "Location Web Address",
    "Care homes beds", "Location Type/Sector", "Location Inspection Directorate",
    "Location Primary Inspection Category", "Location Latest Overall Rating", "Publication Date",
    "Inherited Rating (Y/N)", "Location Region", "Location NHS Region", "Location Local Authority",
    "Location ONSPD CCG Code", "Location ONSPD CCG", "Location Commissioning CCG Code",
    "Location Commissioning CCG", "Location Street Address", "Location Address Line 2",
    "Location City", "Location County", "Location Postal Code", "Location PAF ID",
    "Location UPRN ID", "Location Latitude", "Location Longitude",
    "Location Parliamentary Constituency", "Brand ID", "Brand Name",
    "Provider Companies House Number", "Provider Charity Number", "Provider ID", "Provider Name",
    "Regulated activity - Accommodation for persons who require nursing or personal care",
    "Service type - Care home service with nursing", "Service type - Care home service without nursing",
    "Service type - Domiciliary care service", "Service type - Dental service",
    "Primary ID (Dual registration locations)",
]
BANNER = [["Care directory with filters"], ["Active locations for providers registered under the "
          "Health and Social Care Act"], ["Data as at 01 March 2024"], [], ["Notes: see README"], []]


def hsca_row(**values: str) -> list[str]:
    row = {h: "" for h in HSCA_HEADER}
    row.update({"Location Region": "North West", "Location Local Authority": "Wirral",
                "Brand Name": "-", "Location Inspection Directorate": "Adult social care"})
    for key, value in values.items():
        row[{"id": "Location ID", "start": "Location HSCA start date", "home": "Care home?",
             "name": "Location Name", "manager": "Registered manager", "beds": "Care homes beds",
             "rating": "Location Latest Overall Rating", "published": "Publication Date",
             "provider": "Provider ID", "provider_name": "Provider Name", "dormant": "Dormant (Y/N)",
             "dom": "Service type - Domiciliary care service", "dual": "Primary ID (Dual registration locations)",
             "nursing": "Service type - Care home service with nursing", "lat": "Location Latitude"}[key]] = value
    return [row[h] for h in HSCA_HEADER]


GOOD_ROWS = [
    # a care home, mixed-case rating, UK dates, a registered manager, a dormant flag
    hsca_row(id="1-100000001", start="01/04/2012", home="Y", name=" Oak House ", manager="Smith, Jo, Ms",
             beds="30", rating="Requires Improvement", published="05/03/2024", provider="1-200000001",
             provider_name="Oak Care Ltd", dormant="Y", nursing="Y", lat="53.4"),
    # a home-care agency: blank care-home flag, no manager, US date with the 12:00:00 AM time
    hsca_row(id="1-100000002", start="2015-06-30", name="Kind Hands", rating="good",
             published="3/5/2024 12:00:00 AM", provider="1-200000002", provider_name="Kind Hands Ltd",
             dom="Y"),
    # a dentist with no rating yet, registered alongside a primary location (dual registration)
    hsca_row(id="1-100000003", start="02/01/2024", name="Smile Dental", rating="", provider="1-200000002",
             dual="1-100000001"),
    # unrated label spelling
    hsca_row(id="1-100000004", start="02/01/2023", home="Y", name="Elm Court", beds="12",
             rating="Inspected but not rated", published="01/02/2024", provider="1-200000001"),
]
BAD_ROWS = [
    hsca_row(id="", name="No ID Home", rating="Good", published="01/02/2024"),
    # an unknown rating alone sets only the rating aside; with an impossible date it is listed too
    hsca_row(id="1-100000006", name="Bad Rating Home", start="30/02/2019", rating="Excellent",
             published="01/02/2024"),
    hsca_row(id="1-100000007", name="Bad Date Home", start="31/31/2020", rating="Good"),
]


def write_csv(path: Path, rows: list[list[str]], banner: list[list[str]] = BANNER) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(banner + [HSCA_HEADER] + rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "README"
    book.active.append(["This file lists active locations."])
    sheet = book.create_sheet("HSCA_Active_Locations")
    for line in BANNER + [HSCA_HEADER]:
        sheet.append(line)
    for row in rows:
        # numbers and dates typed as a spreadsheet holds them
        cells: list[object] = list(row)
        beds = HSCA_HEADER.index("Care homes beds")
        cells[beds] = int(row[beds]) if row[beds] else None
        sheet.append(cells)
    book.save(path)
    return path


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, lines in (("README", [["Read me"]]), ("HSCA_Active_Locations", BANNER + [HSCA_HEADER] + rows),
                        ("Dual_Registration_Locations", [["Location ID", "Primary ID"]])):
        table = Table(name=name)
        for line in lines:
            tr = TableRow()
            for value in line or [""]:
                cell = TableCell(valuetype="string") if value else TableCell()
                if value:
                    cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def check_hsca_rows(db: Path) -> None:
    locations = {r[0]: r[1:] for r in query(db, (
        "select location_id, location_name, service_kind, beds, registration_date, dormant, "
        "has_registered_manager, latest_overall_rating, latest_rating_date, is_active "
        "from mart.locations"))}
    assert set(locations) == {"1-100000001", "1-100000002", "1-100000003", "1-100000004"}
    assert locations["1-100000001"] == ("Oak House", "care_home", 30, date(2012, 4, 1), True, True,
                                        "Requires improvement", date(2024, 3, 5), True)
    assert locations["1-100000002"][:6] == ("Kind Hands", "home_care", None, date(2015, 6, 30), False, False)
    assert locations["1-100000002"][6:8] == ("Good", date(2024, 3, 5))
    assert locations["1-100000003"][1] == "other"
    assert locations["1-100000003"][6] == "Not rated"
    assert locations["1-100000004"][6:8] == ("Not rated", date(2024, 2, 1))
    assert query(db, "select location_id, primary_location_id from cqc_dual_registrations") == [
        ("1-100000003", "1-100000001")]
    assert query(db, "select provider_id, provider_name from cqc_providers order by 1") == [
        ("1-200000001", "Oak Care Ltd"), ("1-200000002", "Kind Hands Ltd")]


@pytest.mark.parametrize("writer,suffix", [(write_csv, "csv"), (write_xlsx, "xlsx"), (write_ods, "ods")])
def test_hsca_file_with_banner_is_normalised(db_path, tmp_path, writer, suffix):
    # given an HSCA active-locations file with banner rows, in each format CQC has published
    source = writer(tmp_path / f"HSCA_Active_Locations.{suffix}", GOOD_ROWS + BAD_ROWS)
    # when it is imported
    result = ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    # then the good rows load normalised and the bad ones are quarantined with their rule
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == \
        ("loaded", 7, 4, 3)
    check_hsca_rows(db_path)
    quarantined = query(db_path, "select row_number, location_id, rules, messages from quarantine "
                                 "order by row_number")
    assert [(r[0], r[1], r[2]) for r in quarantined] == [
        (5, None, ["missing_location_id"]), (6, "1-100000006", ["bad_date", "unknown_rating"]),
        (7, "1-100000007", ["bad_date"])]
    assert "Excellent" in quarantined[1][3][1] and "31/31/2020" in quarantined[2][3][0]
    assert result.ratings_set_aside == 0  # only those of stored locations count


def test_an_unknown_rating_word_sets_aside_that_rating_only(db_path, tmp_path):
    # given a bulk file whose second care home has an overall rating CQC never gives
    rows = [GOOD_ROWS[0], hsca_row(id="1-100000006", start="01/04/2012", home="Y", name="Ash Lodge",
                                   rating="Excellent", published="01/02/2024", provider="1-200000001")]
    source = write_csv(tmp_path / "hsca.csv", rows)
    # when it is imported
    result = ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    # then both homes load, the word is counted and kept in the quarantine, and is not a rating
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.ratings_set_aside) \
        == (2, 2, 0, 1)
    assert query(db_path, "select location_name, latest_overall_rating from mart.locations "
                          "where location_id = '1-100000006'") == [("Ash Lodge", None)]
    assert query(db_path, "select ratings_set_aside from mart.ingest_batches "
                          "where dataset = 'cqc_register'") == [(1,)]
    [(row, rules, raw, messages)] = query(db_path, "select row_number, rules, raw, messages "
                                                   "from mart.quarantine")
    assert (row, rules) == (2, ["unknown_rating"])
    assert raw == '{"Location Latest Overall Rating": "Excellent"}'
    assert "'Excellent'" in messages[0] and "report of 2024-02-01" in messages[0]
    assert "the location and its other ratings were loaded" in messages[0]


def test_same_file_twice_changes_nothing(db_path, tmp_path):
    source = write_csv(tmp_path / "hsca.csv", GOOD_ROWS)
    first = ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    before = query(db_path, "select count(*) from cqc_ratings")
    second = ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    assert second.status == "already_loaded" and second.batch_id == first.batch_id
    assert query(db_path, "select count(*) from cqc_ratings") == before
    assert query(db_path, "select count(*) from ingest_batches where dataset = 'cqc_register'") == [(1,)]


def test_an_older_snapshot_never_overwrites_a_newer_one_but_adds_its_ratings(db_path, tmp_path):
    # given a newer file (the care home renamed and re-rated in 2025) already loaded
    newer = [hsca_row(id="1-100000001", start="01/04/2012", home="Y", name="Oak House Nursing",
                      beds="32", rating="Good", published="01/06/2025", provider="1-200000001")]
    ingest_cqc(db_path, str(write_csv(tmp_path / "new.csv", newer)), local_authority=None,
               api_key=None, progress=False)
    # when the older file is loaded afterwards
    ingest_cqc(db_path, str(write_csv(tmp_path / "old.csv", GOOD_ROWS)), local_authority=None,
               api_key=None, progress=False)
    # then the newer attributes stay, and both ratings are in the history
    assert query(db_path, "select location_name, beds, latest_overall_rating from mart.locations "
                          "where location_id = '1-100000001'") == [("Oak House Nursing", 32, "Good")]
    assert query(db_path, "select report_date, rating from mart.ratings where location_id = "
                          "'1-100000001' and key_question = 'overall' order by 1") == [
        (date(2024, 3, 5), "Requires improvement"), (date(2025, 6, 1), "Good")]
    assert query(db_path, "select count(*) from cqc_locations") == [(4,)]


def test_real_asc_locations_head_imports(db_path, realdata):
    # given the real adult-social-care locations CSV head (999 rows, latest ratings, no rating dates)
    source = realdata / ASC_HEAD
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    care_homes = sum(1 for r in rows if "Care home service with" in r["Service Types"])
    home_care = sum(1 for r in rows if "Care home service with" not in r["Service Types"]
                    and "Domiciliary care service" in r["Service Types"])
    rated = [r for r in rows if r["Location Latest Overall Rating"].strip()]
    # when it is imported
    result = ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    # then every row loads, kinds follow the service types, and ratings are observed at the snapshot
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == \
        ("loaded", 999, 999, 0)
    kinds = dict(query(db_path, "select service_kind, count(*) from mart.locations group by 1"))
    assert kinds["care_home"] == care_homes and kinds["home_care"] == home_care
    assert query(db_path, "select distinct snapshot_date from cqc_locations") == [(date(2025, 8, 26),)]
    assert query(db_path, "select distinct report_date, date_basis from mart.ratings") == [
        (date(2025, 8, 26), "observed")]
    ratings = dict(query(db_path, "select latest_overall_rating, count(*) from mart.locations group by 1"))
    assert ratings["Requires improvement"] == sum(
        1 for r in rated if r["Location Latest Overall Rating"].lower() == "requires improvement")
    assert "Requires Improvement" not in ratings
    assert ratings["Not rated"] == len(rows) - len(rated) + sum(
        1 for r in rated if r["Location Latest Overall Rating"] == "Inspected but not rated")
    names = [n for (n,) in query(db_path, "select location_name from cqc_locations")]
    assert all(n == n.strip() for n in names)


def test_a_newer_asc_file_adds_only_changed_ratings(db_path, tmp_path, realdata):
    # given the real ASC head loaded
    source = realdata / ASC_HEAD
    ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    before = query(db_path, "select count(*) from cqc_ratings")[0][0]
    # when a later copy is loaded in which one location's overall rating changed
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    target = next(r for r in rows[1:] if r[header.index("Location Latest Overall Rating")] == "Good")
    target[header.index("Location Latest Overall Rating")] = "Inadequate"
    target[header.index("Location HSCA start date")] = "2025-09-30"  # moves the snapshot on
    later = tmp_path / "later.csv"
    with later.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    ingest_cqc(db_path, str(later), local_authority=None, api_key=None, progress=False)
    # then only the changed overall rating is added, at the later snapshot; nothing else repeats
    lid = target[header.index("Location ID")]
    assert query(db_path, "select count(*) from cqc_ratings")[0][0] == before + 1
    assert query(db_path, "select report_date, rating from mart.ratings where location_id = $lid "
                          "and key_question = 'overall' order by 1", {"lid": lid}) == [
        (date(2025, 8, 26), "Good"), (date(2025, 9, 30), "Inadequate")]


@pytest.mark.parametrize("content,error,text", [
    (b"", SourceError, "is empty"),
    (b"\x00\x9f\x92\x96binary\x00junk" * 50, UnknownSourceFormat, "binary"),
    (b"Name,Postcode,Rating\nOak House,CH41 1AA,Good\n", MissingColumns, "Location ID"),
    (b"PK\x03\x04 not really a zip", UnknownSourceFormat, "expected"),
])
def test_bad_files_load_nothing_and_say_what_was_expected(db_path, tmp_path, content, error, text):
    source = tmp_path / "cqc.csv"
    source.write_bytes(content)
    with pytest.raises(error, match=text) as caught:
        ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    assert str(source) in str(caught.value)
    assert not db_path.exists()


def test_a_header_without_rows_is_rejected(db_path, tmp_path):
    source = write_csv(tmp_path / "hsca.csv", [])
    with pytest.raises(SourceError, match="no data rows"):
        ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)


def test_a_file_of_only_bad_rows_is_rejected_and_quarantined(db_path, tmp_path):
    source = write_csv(tmp_path / "hsca.csv", BAD_ROWS)
    result = ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == \
        ("rejected", 3, 0, 3)
    assert query(db_path, "select count(*) from cqc_locations") == [(0,)]
    assert query(db_path, "select count(*) from quarantine") == [(3,)]


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_one_location_with_impossible_beds_is_quarantined_and_the_file_loads(db_path, tmp_path, writer):
    # given a bulk file (issue 19, row 6) where one care home says it has 99,999,999,999 beds
    rows = GOOD_ROWS + [hsca_row(id="1-100000009", start="02/01/2023", home="Y", name="Huge Home",
                                 beds="99999999999", rating="Good", published="01/02/2024")]
    source = writer(tmp_path / f"hsca.{'csv' if writer is write_csv else 'xlsx'}", rows)
    # when it is loaded
    result = ingest_cqc(db_path, str(source), local_authority=None, api_key=None, progress=False)
    # then the other locations load and that one is quarantined, naming the bound
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 4, 1)
    (rules, messages), = query(db_path, "select rules, messages from quarantine where location_id = '1-100000009'")
    assert rules == ["out_of_range"]
    assert "beds is 99999999999" in messages[0] and "1,000" in messages[0]


# ---- limits: a CQC bulk file is held to the [ingest] limits before it is parsed -----------------

def _small_limits(**changed: int) -> InputLimits:
    return replace(InputLimits.from_settings(settings_from(None)), **changed)


def _nothing_loaded(db: Path) -> bool:
    if not db.exists():
        return True             # refused before the warehouse was opened
    return query(db, "select count(*) from cqc_locations") == [(0,)]


@pytest.mark.parametrize(("writer", "limit", "key"), [
    (write_csv, {"max_rows": 3}, "max_rows"),
    (write_xlsx, {"max_rows": 3}, "max_rows"),
    (write_csv, {"max_columns": 40}, "max_columns"),
    (write_xlsx, {"max_expanded_bytes": 2 * 1024}, "max_expanded_megabytes"),
])
def test_a_bulk_file_over_a_limit_is_refused_naming_it_and_loads_nothing(db_path, tmp_path, writer, limit, key):
    # given an ordinary bulk file (10 rows of 45 columns) and a council limit it passes
    path = writer(tmp_path / f"hsca.{writer.__name__[6:]}", GOOD_ROWS * 3)
    # when it is loaded, then it is refused in one line naming the limit, and nothing is stored
    with pytest.raises(InputTooLarge) as refused:
        ingest_cqc(db_path, str(path), limits=_small_limits(**limit))
    assert f"[ingest] {key} = " in str(refused.value) and str(path) in refused.value.source
    assert _nothing_loaded(db_path)
    # and under the defaults the same file loads
    assert ingest_cqc(db_path, str(path)).status == "loaded"


def test_the_cli_holds_a_bulk_file_to_the_councils_limits(db_path, tmp_path):
    config = tmp_path / "council.toml"
    config.write_text("[ingest]\nmax_rows = 2\n", encoding="utf-8")
    path = write_csv(tmp_path / "hsca.csv", GOOD_ROWS)
    done = subprocess.run([sys.executable, "-m", "market_oversight", "ingest", "cqc", str(path),
                           "--db", str(db_path), "--config", str(config)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"market-oversight: error: {path}: refused before reading: it has more than 2 rows "
        "(counted as lines); the limit is [ingest] max_rows = 2"]
