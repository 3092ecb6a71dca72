"""Issue 19, rows 6, 10 and 11: one bad cell never rejects a file, and says what it is.

An out-of-range number (hours_paid of 40 nines, a fee of 99,999,999,999) is quarantined with the
contract's upper bound named, and the rest of the file loads; a cell that is not a number
(`0x10`, `#DIV/0!`) is called not a number, never blank."""

from __future__ import annotations

import duckdb
import pytest

from market_oversight.ingest.tabular import ingest_file

from .conftest import CARE_HOME, FEE_RATE, SQL_JUDGE, write_csv


def _quarantine(db) -> dict[int, tuple[list[str], list[str]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {n: (rules, messages) for n, rules, messages in
                con.execute("select row_number, rules, messages from quarantine").fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize(("kind", "base", "column", "value", "rule", "bound"), [
    ("returns", CARE_HOME, "hours_paid", "9" * 40, "hours_paid.max", "1,000,000"),
    ("returns", CARE_HOME, "beds", "99999999", "beds.max", "1,000"),
    ("fees", FEE_RATE, "amount", "99,999,999,999", "amount.max", "10,000"),
])
def test_a_huge_number_is_quarantined_naming_its_bound_and_the_other_rows_load(
        db, tmp_path, kind, base, column, value, rule, bound):
    # given a file whose second row holds a number far past the contract's upper bound
    good = dict(base)
    bad = dict(base, **{column: value})
    if kind == "returns":
        bad["period"] = "2026-08"
    else:
        bad["effective_from"], bad["effective_to"] = "01/04/2025", "31/03/2026"
    path = write_csv(tmp_path / f"{kind}.csv", list(base), [list(good.values()), list(bad.values())])
    # when it is loaded
    result = ingest_file(db, kind, path, options=SQL_JUDGE)
    # then the good row loads, the bad one is quarantined with the bound named, nothing stored as 1e40
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    rules, messages = _quarantine(db)[2]
    assert rule in rules
    assert bound in messages[rules.index(rule)]


@pytest.mark.parametrize("value", ["0x10", "#DIV/0!", "1e3", "N/A"])
def test_a_cell_that_is_not_a_number_is_called_not_a_number_not_blank(db, tmp_path, value):
    # given a return whose beds (a required count) says something that is not a number
    path = write_csv(tmp_path / "r.csv", list(CARE_HOME), [list(dict(CARE_HOME, beds=value).values())])
    # when it is loaded
    ingest_file(db, "returns", path, options=SQL_JUDGE)
    # then the quarantine says it is not a number, and does not call it blank
    rules, messages = _quarantine(db)[1]
    assert rules == ["beds.type"], rules
    assert "not a whole number" in messages[0] and value in messages[0]
    assert not any("blank" in m for m in messages)
