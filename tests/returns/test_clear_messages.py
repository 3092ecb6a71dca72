"""Issue 19, row 11: clear messages. A UTF-16 file is read; rows with the wrong number of cells
are quarantined with their row number, the same whatever the encoding; a header naming a column
twice is refused, naming it."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from market_oversight.errors import SourceError
from market_oversight.ingest.tabular import ingest_file

from .conftest import CARE_HOME, SQL_JUDGE

HEADER = list(CARE_HOME)


def _text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _row(period: str, **changes: str) -> list[str]:
    return list(dict(CARE_HOME, period=period, **changes).values())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_read(db, tmp_path, encoding):
    # given a return saved as UTF-16 (Excel's "Unicode text"), with or without its byte-order mark
    path = tmp_path / "utf16.csv"
    path.write_bytes(_text([_row("2026-08"), _row("2026-09")]).encode(encoding))
    # when it is loaded, then both rows load, their values read as in UTF-8
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select location_id, beds from care_home_returns order by period").fetchall() == \
            [("1-101", 40), ("1-101", 40)]
    finally:
        con.close()


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_rows_with_the_wrong_number_of_cells_are_quarantined_with_their_number(db, tmp_path, encoding):
    # given a file whose row 2 lacks three cells and row 3 has two too many
    rows = [_row("2026-06"), _row("2026-07")[:-3], _row("2026-08") + ["x", "y"], _row("2026-09")]
    path = tmp_path / f"ragged-{encoding}.csv"
    path.write_bytes(_text(rows).encode(encoding))
    # when it is loaded
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    # then rows 1 and 4 load, rows 2 and 3 are quarantined saying how many cells they have
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = con.execute("select row_number, rules[1], messages[1] from quarantine order by row_number").fetchall()
    finally:
        con.close()
    width = len(HEADER)
    assert got == [(2, "row.cells", f"the row has {width - 3} cells; the header has {width}"),
                   (3, "row.cells", f"the row has {width + 2} cells; the header has {width}")]


def test_a_header_naming_a_column_twice_is_refused_naming_it(db, tmp_path):
    # given a return with two columns both headed `notes` (one would be lost)
    path = tmp_path / "dup.csv"
    path.write_text(_text([_row("2026-08") + ["a", "b"]], HEADER + ["notes", "Notes"]), encoding="utf-8")
    before = _batches(db)
    # then it is refused, naming them, and nothing is stored
    with pytest.raises(SourceError, match="names a column more than once: 'notes' and 'Notes'"):
        ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert _batches(db) == before


def _batches(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select * from ingest_batches order by all").fetchall()
    finally:
        con.close()
