"""The one checking pass over a clean CSV file (typed lazily, type rules behind one pattern per
row, key duplicates found afterwards) says exactly what the rule-by-rule check says."""

from __future__ import annotations

import pytest
import json

import duckdb

from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions, ingest_file

from .conftest import CARE_HOME, GX_JUDGE, SQL_JUDGE, write_csv

HEADER = list(CARE_HOME)

# Cells DuckDB can read as a number or date, and some the contract still refuses.
AWKWARD = [
    {"beds": " 40 "}, {"beds": "+40"}, {"beds": "4e1"}, {"beds": "040"}, {"beds": "4_0"},
    {"beds": "40.0"}, {"beds": "40.5"}, {"beds": "1234567890"}, {"beds": "1,000", "occupied_beds": "990"},
    {"hours_paid": "inf"}, {"hours_paid": "nan"}, {"hours_paid": "5200."}, {"hours_paid": ".5"},
    {"hours_paid": "5200.50"}, {"hours_paid": "1e4"}, {"hours_paid": " 5200.5"},
    {"agency_hours": "-0"}, {"nurses_employed": "\t5"}, {"nurses_employed": "   "},
    {"period": "2026-9"}, {"period": " 2026-09"}, {"submitted_at": "9/10/2026 10:30"},
    {"submitted_at": "2026-10-09T10:30:00Z"}, {"accepting_admissions": "YES"},
    {"accepting_admissions": "maybe"}, {"beds": "4\x1f0"},
]


def _rows() -> list[list[str]]:
    rows = []
    for i, change in enumerate(AWKWARD):
        row = dict(CARE_HOME, **change)
        if "period" not in change:          # a key of its own, so no row breaks the key rule
            row["period"] = f"{2019 + i // 12}-{i % 12 + 1:02d}"
        rows.append([row[h] for h in HEADER])
    return rows


def _outcome(db) -> tuple[tuple[int, int, int], list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = con.execute("select rows_read, rows_loaded, rows_quarantined from ingest_batches "
                             "where dataset = 'care_home_returns'").fetchall()
        quarantined = con.execute("select row_number, rules, messages, raw from quarantine "
                                  "order by row_number").fetchall()
        loaded = con.execute("select row_number, beds, hours_paid, period, submitted_at "
                             "from care_home_returns order by row_number").fetchall()
    finally:
        con.close()
    return counts[0], quarantined, loaded


@pytest.mark.slow
def test_awkward_cells_get_the_same_verdict_from_the_one_pass_as_from_the_rule_by_rule_check(
        register_template, tmp_path):
    # given a clean UTF-8 CSV of rows with cells that a cast reads but a rule may refuse
    path = write_csv(tmp_path / "awkward.csv", HEADER, _rows())
    outcomes = []
    # when it is loaded once with the one pass (judge sql) and once with every text column kept
    # and every rule tested cell by cell (judge gx, which reads them)
    for name, options in (("sql", SQL_JUDGE), ("gx", GX_JUDGE)):
        db = tmp_path / f"{name}.duckdb"
        db.write_bytes(register_template.read_bytes())
        ingest_file(db, "returns", path, options=options)
        outcomes.append(_outcome(db))
    # then both load and quarantine the same rows, with the same rules, messages and values
    assert outcomes[0] == outcomes[1]
    counts, quarantined, _ = outcomes[0]
    assert counts == (26, 12, 14)
    rules = {n: r for n, r, _, _ in quarantined}
    assert rules[2] == ["beds.type"]                    # +40
    assert rules[8] == ["beds.type", "beds.max"]        # ten digits, and over 1,000 beds
    assert "beds.type" in rules[26]                     # the separator the one pass joins cells by
    assert rules[10] == ["hours_paid.type", "hours_paid.max"]   # inf: not a number, and over the bound
    assert 1 not in rules and 9 not in rules            # ' 40 ' and 1,000 are fine


def test_a_key_given_twice_quarantines_both_rows_whole_and_keeps_the_row_numbers(db, tmp_path):
    # given a clean CSV whose rows 2 and 4 are good but give the same location and month
    rows = [dict(CARE_HOME, period=p) for p in ("2026-06", "2026-07", "2026-08", "2026-07", "2026-09")]
    rows[3]["beds"] = "41"
    path = write_csv(tmp_path / "twice.csv", HEADER, [[r[h] for h in HEADER] for r in rows])
    # when it is loaded
    result = ingest_file(db, "returns", path, options=IngestOptions.from_settings(settings_from(None), judge="sql", today=SQL_JUDGE.today))
    # then both are quarantined under the key rule, each whole as read, and the others load
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 3, 2)
    _, quarantined, loaded = _outcome(db)
    assert [(n, r) for n, r, _, _ in quarantined] == [(2, ["key.unique"]), (4, ["key.unique"])]
    assert json.loads(quarantined[1][3]) == rows[3]
    assert [n for n, *_ in loaded] == [1, 3, 5]
