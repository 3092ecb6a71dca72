"""Reading what providers send: encodings, blank rows, totals rows, thousands separators, UK dates,
XLSX; unreadable and unrecognised files; the same file twice; resubmissions; atomic loads."""

from __future__ import annotations

import json

import pytest

from market_oversight.errors import MissingColumns, SourceError, UnknownSourceFormat
from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions, ingest_file, ingest_files
from market_oversight.ingest.limits import InputLimits

from tests.conftest import query

from .conftest import (CARE_HOME, FEE_RATE, HOME_CARE, SQL_JUDGE, care_home_row, write_csv,
                       write_xlsx)

HEADER = list(CARE_HOME)


def test_utf8_with_bom_blank_lines_totals_row_and_thousands_separators(db, tmp_path):
    # given a CSV saved by Excel: BOM, CRLF, a blank line, a thousands separator and a totals row
    path = write_csv(tmp_path / "ch.csv", HEADER,
                     [care_home_row(), care_home_row(location_id="1-102", beds="1,000", occupied_beds="990"),
                      ["Total"] + [""] * (len(HEADER) - 1)],
                     bom=True, lines_between={1: "\r\n"})
    # when it is loaded
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    # then both returns load, the blank line and totals row are not rows, and row numbers count
    # from the row under the header, blank lines included
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert "totals row" in result.message
    rows = query(db, "select location_id, beds, occupied_beds, hours_paid, row_number "
                      "from care_home_returns order by location_id")
    assert rows == [("1-101", 40, 36, 5200.5, 1), ("1-102", 1000, 990, 5200.5, 3)]


def test_windows_1252_file_with_a_pound_sign(db, tmp_path):
    header = list(FEE_RATE)
    path = write_csv(tmp_path / "fees.csv", header, [[FEE_RATE[h] for h in header]], encoding="cp1252")
    assert "£".encode("cp1252") in path.read_bytes()
    result = ingest_file(db, "fees", path, options=SQL_JUDGE)
    assert result.rows_loaded == 1
    assert query(db, "select amount, effective_from::varchar from fee_rates") == [(812.5, "2026-04-01")]


def test_xlsx_with_numbers_as_numbers_and_as_text_and_capacity_tracker_headers(db, tmp_path):
    # given an XLSX with Capacity Tracker spellings, some numbers typed as text, a date cell
    from datetime import datetime

    header = ["cqcid", "Period", "MaxCapacity", "usedbeds", "hourspaid", "hoursagency", "lastupdatedutc"]
    path = write_xlsx(tmp_path / "ch.xlsx", header, [
        ["1-101", "2026-09", 40, "36", "5,000", 120.5, datetime(2026, 10, 3, 9, 15)],
        [None, None, None, None, None, None, None],
        ["1-102", "09/2026", "30", 25, 4000, "100", "04/10/2026 10:00"],
    ])
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (result.dataset, result.rows_read, result.rows_loaded) == ("care_home_returns", 2, 2)
    assert query(db, "select location_id, period::varchar, beds, occupied_beds, hours_paid, agency_hours, "
                      "submitted_at::varchar, row_number from care_home_returns order by 1") == [
        ("1-101", "2026-09-01", 40, 36, 5000.0, 120.5, "2026-10-03 09:15:00", 1),
        ("1-102", "2026-09-01", 30, 25, 4000.0, 100.0, "2026-10-04 10:00:00", 3),
    ]


def test_home_care_file_is_recognised_by_its_columns(db, tmp_path):
    header = list(HOME_CARE)
    result = ingest_file(db, "returns", write_csv(tmp_path / "hc.csv", header, [list(HOME_CARE.values())]),
                         options=SQL_JUDGE)
    assert (result.dataset, result.rows_loaded) == ("home_care_returns", 1)
    assert query(db, "select hours_delivered, can_take_more_hours from home_care_returns") == [(3400.0, True)]


def test_unrecognised_file_loads_nothing_and_names_the_columns(db, tmp_path):
    path = write_csv(tmp_path / "minutes.csv", ["Meeting", "Attendees"], [["Board", "5"]])
    with pytest.raises(UnknownSourceFormat) as exc:
        ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert str(path) in str(exc.value) and "'Meeting'" in str(exc.value) and "'Attendees'" in str(exc.value)
    assert query(db, "select count(*) from ingest_batches where dataset <> 'benchmarks'") == [(0,)]


def test_file_lacking_a_required_column_loads_nothing_and_names_it(db, tmp_path):
    header = [h for h in HEADER if h != "occupied_beds"]
    path = write_csv(tmp_path / "ch.csv", header, [[CARE_HOME[h] for h in header]])
    with pytest.raises(MissingColumns) as exc:
        ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert str(path) in str(exc.value) and "occupied_beds" in str(exc.value)
    assert query(db, "select count(*) from care_home_returns") == [(0,)]


def test_unreadable_file_loads_nothing(db, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    with pytest.raises(SourceError) as exc:
        ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert str(path) in str(exc.value)
    with pytest.raises(SourceError, match="no such file"):
        ingest_file(db, "returns", tmp_path / "absent.csv", options=SQL_JUDGE)


def test_header_only_file_is_an_error(db, tmp_path):
    with pytest.raises(SourceError, match="no data rows"):
        ingest_file(db, "returns", write_csv(tmp_path / "empty.csv", HEADER, []), options=SQL_JUDGE)
    assert query(db, "select count(*) from ingest_batches where dataset = 'care_home_returns'") == [(0,)]


def test_the_same_file_twice_is_recorded_once(db, tmp_path):
    path = write_csv(tmp_path / "ch.csv", HEADER, [care_home_row(), care_home_row(location_id="1-999")])
    first = ingest_file(db, "returns", path, options=SQL_JUDGE)
    again = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (first.status, again.status) == ("loaded", "already_loaded")
    assert again.batch_id == first.batch_id and again.rows_read == first.rows_read == 2
    assert query(db, "select count(*) from care_home_returns") == [(1,)]
    assert query(db, "select count(*) from quarantine") == [(1,)]
    assert query(db, "select count(*) from ingest_batches where dataset = 'care_home_returns'") == [(1,)]


def test_a_resubmission_supersedes_and_keeps_the_earlier_version_as_history(db, tmp_path):
    # given a month's return, then a corrected file for the same location and month
    first = ingest_file(db, "returns", write_csv(tmp_path / "ch_2026-09.csv", HEADER, [care_home_row()]),
                        options=SQL_JUDGE)
    second = ingest_file(db, "returns", write_csv(tmp_path / "ch_2026-09_resubmitted.csv", HEADER,
                                                  [care_home_row(occupied_beds="30")]), options=SQL_JUDGE)
    # then the mart shows the correction, and the first version is kept with when and which file
    assert query(db, "select occupied_beds, versions, batch_id from mart.care_home_returns") == [
        (30, 2, second.batch_id)]
    history = query(db, "select r.occupied_beds, r.superseded_at is not null, r.superseded_by_batch, b.source "
                         "from care_home_returns as r join ingest_batches as b using (batch_id) "
                         "order by r.occupied_beds desc")
    assert history == [(36, True, second.batch_id, str(tmp_path / "ch_2026-09.csv")),
                       (30, False, None, str(tmp_path / "ch_2026-09_resubmitted.csv"))]
    assert first.batch_id != second.batch_id


def test_a_file_and_its_resubmission_loaded_together_give_the_same_history(db, tmp_path):
    a = write_csv(tmp_path / "a.csv", HEADER, [care_home_row()])
    b = write_csv(tmp_path / "b.csv", HEADER, [care_home_row(occupied_beds="30")])
    ra, rb = ingest_files(db, [("returns", a), ("returns", b)], options=SQL_JUDGE)
    assert query(db, "select occupied_beds, superseded_by_batch from care_home_returns order by 1") == [
        (30, None), (36, rb.batch_id)]


@pytest.mark.parametrize("together", [False, True])
def test_the_risk_engine_reads_the_version_current_at_its_date(db, tmp_path, together):
    # given a September return submitted 9 October, and a correction to it sent on 20 October,
    # loaded as two loads or as one load of two files
    from datetime import date

    from market_oversight import store
    from market_oversight.risk import engine
    from market_oversight.risk.thresholds import load_thresholds

    a = write_csv(tmp_path / "a.csv", HEADER, [care_home_row()])
    b = write_csv(tmp_path / "b.csv", HEADER, [care_home_row(occupied_beds="30", submitted_at="20/10/2026 09:00")])
    if together:
        ingest_files(db, [("returns", a), ("returns", b)], options=SQL_JUDGE)
    else:
        ingest_file(db, "returns", a, options=SQL_JUDGE)
        ingest_file(db, "returns", b, options=SQL_JUDGE)

    def as_scored(as_of: date) -> list[tuple]:
        with store.warehouse(db, publish=False) as con:
            engine.compute(con, as_of, load_thresholds())
            return con.execute("select location_id, period::varchar, occupied_beds, first_known_at::varchar "
                               "from stage_returns").fetchall()

    # then scoring sees one return for the month: the first version before the correction arrived,
    # the correction after it, and the return counted as first arriving on 9 October either way
    assert as_scored(date(2026, 10, 15)) == [("1-101", "2026-09-01", 36, "2026-10-09 10:30:00")]
    assert as_scored(date(2026, 10, 31)) == [("1-101", "2026-09-01", 30, "2026-10-09 10:30:00")]


def test_a_load_that_fails_part_way_leaves_the_warehouse_as_it_was(db, tmp_path):
    # given a good file loaded, then a load of two files: a care-home file (written first, inside
    # the transaction) and a home-care file with a header and no rows (an error raised after it)
    ingest_file(db, "returns", write_csv(tmp_path / "ok.csv", HEADER, [care_home_row()]), options=SQL_JUDGE)
    tables = ("ingest_batches", "care_home_returns", "home_care_returns", "quarantine", "contract_results")
    before = [query(db, f"select * from {t} order by all") for t in tables]   # fixed names
    good = write_csv(tmp_path / "good.csv", HEADER, [care_home_row(location_id="1-102"), care_home_row(location_id="1-999")])
    empty = write_csv(tmp_path / "empty_hc.csv", list(HOME_CARE), [])
    with pytest.raises(SourceError, match="no data rows"):
        ingest_files(db, [("returns", good), ("returns", empty)], options=SQL_JUDGE)
    # then nothing of either file is stored
    assert [query(db, f"select * from {t} order by all") for t in tables] == before


def test_a_number_too_big_for_the_warehouse_is_quarantined(db, tmp_path):
    path = write_csv(tmp_path / "big.csv", HEADER, [care_home_row(beds="99999999999", occupied_beds="1")])
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert result.rows_quarantined == 1
    assert query(db, "select rules from quarantine") == [(["beds.type", "beds.max"],)]   # 11 digits, > 1,000


def test_validation_summary_is_stored_with_the_batch(db, tmp_path):
    path = write_csv(tmp_path / "ch.csv", HEADER, [care_home_row(), care_home_row(location_id="1-102", complaints="-2")])
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    validation = json.loads(query(db, "select validation from ingest_batches where batch_id = $b",
                                   {"b": result.batch_id})[0][0])
    assert validation["judge"] == "sql" and validation["success"] is False
    assert validation["rules"]["complaints.min"]["unexpected_count"] == 1
    assert validation["rules"]["beds.min"] == {"success": True, "unexpected_count": 0, "sql_unexpected_count": 0}


def test_auto_judge_uses_sql_above_the_row_limit(db, tmp_path):
    path = write_csv(tmp_path / "ch.csv", HEADER, [care_home_row(), care_home_row(location_id="1-102")])
    result = ingest_file(db, "returns", path,
                         options=IngestOptions.from_settings(settings_from(None), judge="auto", gx_max_rows=1, today=SQL_JUDGE.today))
    validation = json.loads(query(db, "select validation from ingest_batches where batch_id = $b",
                                   {"b": result.batch_id})[0][0])
    assert validation["judge"] == "sql" and "gx_max_rows = 1" in validation["reason"]


def test_a_file_ending_in_half_a_utf8_character_is_read_as_windows_1252(tmp_path):
    # given a file that is UTF-8 except for a lead byte with nothing after it at the very end
    # (found by the bad-input property test: it used to escape as a UnicodeDecodeError)
    from market_oversight.ingest.tabular_read import scan

    path = tmp_path / "returns.csv"
    path.write_bytes(b"location_id,period\n1-101,2026-09\n\xc2")
    # then the scan does not call it UTF-8, so it is read as Windows-1252 ("Â") like any non-UTF-8 file
    assert scan(path, InputLimits.from_settings(settings_from(None))).encoding == "cp1252"


def test_a_file_neither_utf8_nor_windows_1252_is_refused_naming_the_line(db, tmp_path):
    # given a CSV with byte 0x8d on its third line, which no text encoding we read defines
    # (found by the bad-input property test: it used to escape as a UnicodeDecodeError)
    path = tmp_path / "returns.csv"
    path.write_bytes(b"location_id,period,beds\n1-101,2026-09,40\n1-102,2026-09,\x8d\n")
    before = query(db, "select count(*) from ingest_batches")
    with pytest.raises(SourceError, match=r"returns.csv.*line 3 holds byte 0x8d"):
        ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert query(db, "select count(*) from ingest_batches") == before


def test_several_files_loaded_together_are_stored_in_file_order(db, tmp_path):
    # given six monthly files and a correction of one month, loaded in one call (as the demo
    # and a backlog of returns are)
    months = [f"2025-{m:02d}" for m in range(1, 7)]
    files = [("returns", write_csv(tmp_path / f"{m}.csv", HEADER,
                                   [care_home_row(period=m, location_id=loc) for loc in ("1-101", "1-102")]))
             for m in months]
    files.append(("returns", write_csv(tmp_path / "correction.csv", HEADER,
                                       [care_home_row(period="2025-03", location_id="1-102", complaints="2")])))
    ingest_files(db, files, options=SQL_JUDGE)
    # then the rows are stored file by file, each file's rows in its order (the risk engine's
    # reads of recent months then skip the older row groups)
    stored = query(db, "select strftime(period, '%Y-%m'), location_id from care_home_returns order by rowid")
    assert stored == [(m, loc) for m in months for loc in ("1-101", "1-102")] + [("2025-03", "1-102")]
