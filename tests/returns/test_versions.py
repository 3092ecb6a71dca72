"""Versions of a return by what the provider says, not by arrival (issue 19, point 3): the version
sent last (submitted_at) is current; the same rows in other bytes are already loaded; an older
version re-sent is kept as history without replacing a newer one; a return submitted before its
month ends is quarantined; dates are read in the file's own order, and a file with both orders is
refused."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from market_oversight.errors import MixedDateOrder
from market_oversight.ingest.tabular import ingest_file, ingest_files

from tests.conftest import query

from .conftest import CARE_HOME, SQL_JUDGE, write_csv, write_xlsx

HEADER = [*CARE_HOME, "notes"]
NOTE = "Café closed for refit"           # a character Windows-1252 and UTF-8 write differently


def _row(header: list[str] = HEADER, **changes: str) -> list[str]:
    values = {**CARE_HOME, "notes": NOTE, **changes}
    return [values[h] for h in header]


ORIGINAL = {"occupied_beds": "36", "submitted_at": "09/10/2026 10:30"}
CORRECTION = {"occupied_beds": "30", "submitted_at": "20/10/2026 16:05"}


def _original(tmp_path, name: str = "original.csv", **how):
    return write_csv(tmp_path / name, HEADER, [_row(**ORIGINAL), _row(location_id="1-102", **ORIGINAL)],
                     **how)


def _correction(tmp_path):
    return write_csv(tmp_path / "correction.csv", HEADER,
                     [_row(**CORRECTION), _row(location_id="1-102", **ORIGINAL)], line_end="\n")


def _current(db) -> list[tuple]:
    return query(db, "select location_id, occupied_beds, versions, batch_id from mart.care_home_returns "
                      "order by location_id")


REORDERED = list(reversed(HEADER))


def _resent_csv(tmp_path, encoding: str, header: list[str], line_end: str):
    rows = [_row(header, **ORIGINAL), _row(header, location_id="1-102", **ORIGINAL)]
    return write_csv(tmp_path / f"resent_{encoding}.csv", header, rows, encoding=encoding, line_end=line_end)


RESENT = {
    "crlf": lambda p: _resent_csv(p, "utf-8", HEADER, "\r\n"),
    "windows_1252": lambda p: _resent_csv(p, "cp1252", HEADER, "\n"),
    "columns_reordered": lambda p: _resent_csv(p, "utf-8", REORDERED, "\n"),
    "crlf_windows_1252_reordered": lambda p: _resent_csv(p, "cp1252", REORDERED, "\r\n"),
    "xlsx_of_text": lambda p: write_xlsx(p / "resent.xlsx", REORDERED,
                                         [_row(REORDERED, **ORIGINAL), _row(REORDERED, location_id="1-102", **ORIGINAL)]),
}


@pytest.mark.slow
@pytest.mark.parametrize("resent", list(RESENT))
def test_the_original_sent_again_in_other_bytes_is_already_loaded_and_the_correction_stays(db, tmp_path, resent):
    # given an original return (UTF-8, LF line ends), then its correction
    first = ingest_file(db, "returns", _original(tmp_path, line_end="\n"), options=SQL_JUDGE)
    second = ingest_file(db, "returns", _correction(tmp_path), options=SQL_JUDGE)
    assert (first.status, second.status) == ("loaded", "loaded")
    # when the original is sent again, the same rows in other bytes
    path = RESENT[resent](tmp_path)
    assert path.read_bytes() != (tmp_path / "original.csv").read_bytes()
    again = ingest_file(db, "returns", path, options=SQL_JUDGE)
    # then it is recognised as loaded before (the first load's figures), nothing is stored, and the
    # correction is still the current version
    assert (again.status, again.batch_id, again.rows_loaded) == ("already_loaded", first.batch_id, 2)
    assert _current(db) == [("1-101", 30, 2, second.batch_id), ("1-102", 36, 2, second.batch_id)]
    assert query(db, "select count(*) from ingest_batches where dataset = 'care_home_returns'") == [(2,)]
    assert query(db, "select count(*) from care_home_returns") == [(4,)]


def test_the_same_rows_twice_in_one_load_are_loaded_once(db, tmp_path):
    a = _original(tmp_path, line_end="\n")
    b = _resent_csv(tmp_path, "cp1252", REORDERED, "\r\n")
    ra, rb = ingest_files(db, [("returns", a), ("returns", b)], options=SQL_JUDGE)
    assert (ra.status, rb.status, rb.batch_id) == ("loaded", "already_loaded", ra.batch_id)
    assert query(db, "select count(*) from care_home_returns") == [(2,)]


@pytest.mark.slow
def test_changed_rows_are_a_new_version_even_when_only_one_cell_differs(db, tmp_path):
    ingest_file(db, "returns", _original(tmp_path, line_end="\n"), options=SQL_JUDGE)
    changed = write_csv(tmp_path / "changed.csv", REORDERED,
                        [_row(REORDERED, **ORIGINAL), _row(REORDERED, location_id="1-102", **{**ORIGINAL, "leavers": "2"})])
    result = ingest_file(db, "returns", changed, options=SQL_JUDGE)
    assert result.status == "loaded"
    assert query(db, "select location_id, leavers, versions from mart.care_home_returns order by 1") == [
        ("1-101", 1, 2), ("1-102", 2, 2)]


@pytest.mark.slow
@pytest.mark.parametrize("together", [False, True])
def test_an_older_version_sent_after_the_correction_is_kept_but_does_not_replace_it(db, tmp_path, together):
    # given the correction (submitted 20 October), then the original (submitted 9 October) sent
    # again after it, in the next load or later in the same load
    correction, original = _correction(tmp_path), _original(tmp_path)
    if together:
        second, first = ingest_files(db, [("returns", correction), ("returns", original)], options=SQL_JUDGE)
    else:
        second = ingest_file(db, "returns", correction, options=SQL_JUDGE)
        first = ingest_file(db, "returns", original, options=SQL_JUDGE)
    # then the original is recorded, as history: the correction stays current
    assert first.status == "loaded" and first.rows_loaded == 2
    assert "1 return not the latest version by submitted_at" in first.message
    assert query(db, "select message from ingest_batches where batch_id = $b", {"b": first.batch_id}) == [
        (first.message,)]
    assert query(db, "select occupied_beds, versions, batch_id, submitted_at from mart.care_home_returns "
                      "where location_id = '1-101'") == [(30, 2, second.batch_id, datetime(2026, 10, 20, 16, 5))]
    history = query(db, "select occupied_beds, batch_id, superseded_at is not null, superseded_by_batch "
                         "from care_home_returns where location_id = '1-101' order by submitted_at")
    assert history == [(36, first.batch_id, True, second.batch_id), (30, second.batch_id, False, None)]
    # 1-102 sent the same return in both files (same moment): the later load is current
    assert query(db, "select batch_id from mart.care_home_returns where location_id = '1-102'") == [
        (first.batch_id,)]


def test_a_newer_version_after_an_older_resend_becomes_current(db, tmp_path):
    correction = ingest_file(db, "returns", _correction(tmp_path), options=SQL_JUDGE)
    ingest_file(db, "returns", _original(tmp_path), options=SQL_JUDGE)
    latest = ingest_file(db, "returns", write_csv(tmp_path / "latest.csv", HEADER, [
        _row(occupied_beds="31", submitted_at="02/11/2026 08:00")]), options=SQL_JUDGE)
    assert query(db, "select occupied_beds, versions, batch_id from mart.care_home_returns "
                      "where location_id = '1-101'") == [(31, 3, latest.batch_id)]
    assert query(db, "select count(*) from care_home_returns where location_id = '1-101' "
                      "and superseded_at is null") == [(1,)]
    assert query(db, "select superseded_by_batch from care_home_returns where batch_id = $b "
                      "and location_id = '1-101'", {"b": correction.batch_id}) == [(latest.batch_id,)]


def test_a_return_submitted_before_its_month_ends_is_quarantined_naming_the_rule_row_and_field(db, tmp_path):
    # given a September return submitted on 30 September, and one submitted at midnight as October began
    path = write_csv(tmp_path / "early.csv", HEADER, [
        _row(submitted_at="30/09/2026 23:59"), _row(location_id="1-102", submitted_at="01/10/2026 00:00")])
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    # then the first is quarantined, the second loaded
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    [(row, rules, messages)] = query(db, "select row_number, rules, messages from quarantine")
    assert row == 1 and rules == ["submitted_after_month_ends"]
    assert messages == ["submitted_at is 30/09/2026 23:59, before the end of the month it is for "
                        "(period 2026-09); a month's return is sent once the month is over"]
    assert query(db, "select location_id from care_home_returns") == [("1-102",)]


def _dates_file(tmp_path, name: str, submitted: list[str], **how):
    rows = [_row(location_id=loc, submitted_at=at) for loc, at in zip(("1-101", "1-102", "1-101"), submitted)]
    for i, r in enumerate(rows[2:], start=2):        # a third row: another month
        r[HEADER.index("period")] = "2026-08"
    return write_csv(tmp_path / name, HEADER, rows, **how)


def _submitted(db) -> list[tuple]:
    return query(db, "select location_id, period::varchar, submitted_at::varchar from care_home_returns "
                      "order by period, location_id")


def test_ambiguous_dates_in_a_day_first_file_are_read_day_first(db, tmp_path):
    path = _dates_file(tmp_path, "uk.csv", ["25/10/2026 10:00", "05/10/2026 09:00", "03/10/2026 08:00"])
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    assert _submitted(db) == [("1-101", "2026-08-01", "2026-10-03 08:00:00"),
                              ("1-101", "2026-09-01", "2026-10-25 10:00:00"),
                              ("1-102", "2026-09-01", "2026-10-05 09:00:00")]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_month_first_file_is_read_month_first_its_ambiguous_dates_too(db, tmp_path, encoding):
    # given a file saved with US dates: 25 October (only month first can read it), 9 October and
    # 3 October (either way round: day first they would be 10 September, before the month ended,
    # and 10 March)
    path = _dates_file(tmp_path, "us.csv", ["10/25/2026 10:00", "10/09/2026 09:00", "10/03/2026 08:00"],
                       encoding=encoding)
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    assert _submitted(db) == [("1-101", "2026-08-01", "2026-10-03 08:00:00"),
                              ("1-101", "2026-09-01", "2026-10-25 10:00:00"),
                              ("1-102", "2026-09-01", "2026-10-09 09:00:00")]


def test_a_month_first_spreadsheet_of_text_dates_is_read_month_first(db, tmp_path):
    rows = [_row(submitted_at="10/25/2026 10:00"), _row(location_id="1-102", submitted_at="10/09/2026 09:00")]
    result = ingest_file(db, "returns", write_xlsx(tmp_path / "us.xlsx", HEADER, rows), options=SQL_JUDGE)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert query(db, "select submitted_at::varchar from care_home_returns order by 1") == [
        ("2026-10-09 09:00:00",), ("2026-10-25 10:00:00",)]


def test_a_file_with_dates_both_ways_round_is_refused_naming_the_file_rows_and_field(db, tmp_path):
    # given a file where row 1 can only be day first, row 2 only month first, row 3 either
    path = _dates_file(tmp_path, "mixed.csv", ["25/10/2026 10:00", "10/26/2026 10:00", "10/09/2026 08:00"])
    before = query(db, "select count(*) from ingest_batches")
    # when it is loaded, then it is refused, saying where, and nothing is stored
    with pytest.raises(MixedDateOrder) as refused:
        ingest_file(db, "returns", path, options=SQL_JUDGE)
    message = str(refused.value)
    assert message.startswith(f"{path}, field 'submitted_at': ")
    assert "submitted_at day first in row 1 and month first in row 2" in message
    assert "nothing was loaded" in message
    assert query(db, "select count(*) from ingest_batches") == before
    assert query(db, "select count(*) from care_home_returns") == [(0,)]


def _as_scored(db, as_of) -> list[tuple]:
    from market_oversight import store
    from market_oversight.risk import engine
    from market_oversight.risk.thresholds import load_thresholds

    with store.warehouse(db, publish=False) as con:
        engine.compute(con, as_of, load_thresholds())
        return con.execute("select location_id, period::varchar, occupied_beds from stage_returns "
                           "where location_id = '1-101'").fetchall()


@pytest.mark.slow
def test_the_risk_engine_reads_the_same_version_as_the_marts_on_a_tie_and_after_an_older_resend(db, tmp_path):
    from datetime import date

    # given a return, then a correction stamped with the same moment (a tie: the later load is
    # current), then the original sent again in other bytes and a version older than both
    same_moment = write_csv(tmp_path / "same.csv", HEADER, [_row(occupied_beds="30", **{
        "submitted_at": ORIGINAL["submitted_at"]})], line_end="\n")
    ingest_file(db, "returns", _original(tmp_path), options=SQL_JUDGE)
    ingest_file(db, "returns", same_moment, options=SQL_JUDGE)
    ingest_file(db, "returns", _resent_csv(tmp_path, "cp1252", REORDERED, "\n"), options=SQL_JUDGE)
    ingest_file(db, "returns", write_csv(tmp_path / "older.csv", HEADER, [
        _row(occupied_beds="20", submitted_at="02/10/2026 08:00")]), options=SQL_JUDGE)
    # then the marts and the risk engine (after all were sent) read the same single version
    assert query(db, "select occupied_beds, versions from mart.care_home_returns where location_id = '1-101'") == [
        (30, 3)]
    assert _as_scored(db, date(2026, 11, 1)) == [("1-101", "2026-09-01", 30)]
    # and before the others were sent, the only one there was
    assert _as_scored(db, date(2026, 10, 5)) == [("1-101", "2026-09-01", 20)]


def _migration(name: str) -> str:
    from market_oversight import store

    return next(text for _, file, text in store.migrations() if file == name)


@pytest.mark.slow
def test_the_migration_puts_right_a_warehouse_whose_resend_undid_a_correction(db, tmp_path):
    # given a correction then the original sent again, left as the loader before migration 077 left
    # them: the original (loaded last) current, the correction superseded by it
    correction = ingest_file(db, "returns", _correction(tmp_path), options=SQL_JUDGE)
    original = ingest_file(db, "returns", _original(tmp_path), options=SQL_JUDGE)
    con = duckdb.connect(str(db))
    try:
        con.execute("update care_home_returns set superseded_at = null, superseded_by_batch = null "
                    "where batch_id = $o", {"o": original.batch_id})
        con.execute("update care_home_returns set superseded_at = timestamp '2026-11-01 09:00', "
                    "superseded_by_batch = $o where batch_id = $c", {"o": original.batch_id, "c": correction.batch_id})
        wrong = con.execute("select location_id, occupied_beds from care_home_returns where superseded_at is null "
                            "order by 1").fetchall()
        assert wrong == [("1-101", 36), ("1-102", 36)]
        # when the migration runs
        con.execute(_migration("077_versions_by_submitted_at.sql"))
        # then the version sent last is current again, and the re-sent original is history
        current = con.execute("select location_id, occupied_beds, batch_id from care_home_returns "
                              "where superseded_at is null order by 1").fetchall()
        assert current == [("1-101", 30, correction.batch_id), ("1-102", 36, original.batch_id)]
        assert con.execute("select superseded_by_batch, superseded_at is not null from care_home_returns "
                           "where location_id = '1-101' and batch_id = $o", {"o": original.batch_id}).fetchall() == [
            (correction.batch_id, True)]
        # and the 1-102 tie (same moment, the later load current) was right, so it is as it was
        assert con.execute("select superseded_by_batch, superseded_at from care_home_returns "
                           "where location_id = '1-102' and batch_id = $c", {"c": correction.batch_id}).fetchall() == [
            (original.batch_id, datetime(2026, 11, 1, 9, 0))]
    finally:
        con.close()


def test_the_migration_leaves_a_warehouse_read_right_as_it_was(db, tmp_path):
    ingest_file(db, "returns", _correction(tmp_path), options=SQL_JUDGE)
    ingest_file(db, "returns", _original(tmp_path), options=SQL_JUDGE)
    con = duckdb.connect(str(db))
    try:
        before = con.execute("select * from care_home_returns order by all").fetchall()
        con.execute(_migration("077_versions_by_submitted_at.sql"))
        assert con.execute("select * from care_home_returns order by all").fetchall() == before
    finally:
        con.close()
