"""Other councils' placements, an optional column of the care-home return added in issue 21: a file
with it loads its values (under any of its header spellings, its range checked), a file without it
loads as before (the column null), and a file without it hashes its rows as it did before the
column existed, so a copy of a file loaded earlier is still known as one."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from market_oversight.contracts.model import contract
from market_oversight.contracts.sql import _row_hash
from market_oversight.ingest.tabular import ingest_file

from .conftest import CARE_HOME, SQL_JUDGE, write_csv

HEADER = list(CARE_HOME)


def _residents(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select location_id, residents_self_funded, residents_other_councils "
                           "from mart.care_home_returns order by location_id").fetchall()


def test_a_return_without_the_column_loads_as_before(db, tmp_path) -> None:
    path = write_csv(tmp_path / "ch.csv", HEADER, [[CARE_HOME[h] for h in HEADER]])
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 1, 0)
    assert _residents(db) == [("1-101", 12, None)]


@pytest.mark.parametrize("header", ["residents_other_councils", "Out of area placements", "ResidentsOtherLA"])
def test_a_return_with_the_column_loads_its_values(db, tmp_path, header: str) -> None:
    rows = [[CARE_HOME[h] for h in HEADER] + ["4"],
            [{"location_id": "1-102", "residents_self_funded": "8"}.get(h, CARE_HOME[h]) for h in HEADER] + [""]]
    path = write_csv(tmp_path / "ch.csv", [*HEADER, header], rows)
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert _residents(db) == [("1-101", 12, 4), ("1-102", 8, None)]       # a blank cell: not given


def test_a_negative_count_of_other_councils_placements_is_quarantined(db, tmp_path) -> None:
    path = write_csv(tmp_path / "ch.csv", [*HEADER, "residents_other_councils"],
                     [[CARE_HOME[h] for h in HEADER] + ["-2"]])
    result = ingest_file(db, "returns", path, options=SQL_JUDGE)
    assert (result.rows_loaded, result.rows_quarantined) == (0, 1)


def test_a_file_without_the_column_hashes_its_rows_as_before_the_column_was_added() -> None:
    now = contract("care_home_returns")
    before = dataclasses.replace(now, columns={c: col for c, col in now.columns.items()
                                               if c != "residents_other_councils"})
    present = set(HEADER)
    assert _row_hash(now, present) == _row_hash(before, present)
    # a file that gives the column hashes it too
    assert "raw_residents_other_councils" in _row_hash(now, present | {"residents_other_councils"})
