"""Every rule of every data contract, broken by a row of its own: the row is quarantined, the
record names the rule with a plain message, and Great Expectations counts what the SQL check finds."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from market_oversight.contracts import Contract, Rule, all_contracts, contract
from market_oversight.ingest.tabular import ingest_files

from .conftest import BASE_ROWS, COMMAND, GX_JUDGE, write_csv

BAD_TEXT = {"integer": "n/a", "decimal": "TBC", "percent": "lots", "money": "see email",
            "boolean": "maybe", "month": "2026-13", "date": "2026-13-45", "timestamp": "yesterday",
            "financial_year": "2025-26"}
FUTURE = {"month": "2027-01", "date": "01/01/2027", "timestamp": "01/01/2027 10:00"}


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("£", ""))


def broken_rows(c: Contract, rule: Rule, row: dict[str, str]) -> list[dict[str, str]]:
    """`row` changed so that it breaks `rule` (two rows for the key rule)."""
    row = dict(row)
    col = c.columns.get(rule.columns[0])
    k = rule.kind
    if k == "required":
        row[col.name] = ""
    elif k == "type":
        row[col.name] = BAD_TEXT[col.type]
    elif k == "min":
        row[col.name] = f"{col.min - 1:g}"
    elif k == "min_exclusive":
        row[col.name] = f"{col.min_exclusive:g}"
    elif k == "max":
        row[col.name] = f"{col.max + 1:.0f}" if float(col.max).is_integer() else f"{col.max * 1.01:g}"
    elif k == "allowed":
        row[col.name] = "something else"
    elif k == "not_in_future":
        row[col.name] = FUTURE[col.type]
    elif k == "in_register":
        row[col.name] = "1-999" if col.name == "location_id" else "P-999"
    elif k == "key_unique":
        return [row, dict(row)]
    elif k == "at_most" and rule.value:                       # a sum at most a column
        row[rule.value[-1]] = f"{_number(row[rule.columns[1]]) + 1:g}"
    elif k == "at_most" and c.columns[rule.columns[1]].type == "date":
        row[rule.columns[1]] = "01/01/2000"
    elif k == "at_most":
        row[rule.columns[0]] = f"{_number(row[rule.columns[1]]) + 1:g}"
    elif k == "after_month":                                   # sent in the month it is for
        year, month = row[rule.value].split("-")
        row[rule.columns[0]] = f"15/{month}/{year} 10:00"
    elif k == "one_of":
        for part in rule.value:
            row[part] = ""
    elif k == "pair_allowed":
        row[rule.columns[0]], row[rule.columns[1]] = "home_care", "week"
    else:
        raise AssertionError(f"no breaking row for rule kind {k}")
    return [row]


def _keyed(dataset: str, row: dict[str, str], i: int) -> dict[str, str]:
    """Give row i a key of its own (rows break one rule each, not the key rule by accident)."""
    row = dict(row)
    if dataset.endswith("returns"):
        row["period"] = f"{2019 + i // 12}-{i % 12 + 1:02d}"
    elif dataset == "fee_rates":
        d = date.fromordinal(date(2010, 1, 1).toordinal() + i)
        row["effective_from"] = d.strftime("%d/%m/%Y")
        row["effective_to"] = "31/12/2030"
    else:
        row["financial_year"] = f"{2000 + i}/{(2001 + i) % 100:02d}"
    return row


def _cases() -> list[tuple[str, str]]:
    return [(c.dataset, r.name) for c in all_contracts() for r in c.rules()]


@pytest.fixture(scope="session")
def breaking_load(tmp_path_factory, register_template):
    """One file per dataset: row 1 breaks nothing, then rows that each break one rule; loaded
    together with Great Expectations as the judge. Returns (db, {(dataset, rule): row numbers})."""
    import shutil

    folder = tmp_path_factory.mktemp("breaking")
    db = folder / "w.duckdb"
    shutil.copyfile(register_template, db)
    rows_of: dict[tuple[str, str], list[int]] = {}
    files = []
    for c in all_contracts():
        base = BASE_ROWS[c.dataset]
        rows = [_keyed(c.dataset, base, 0)]
        for i, rule in enumerate(c.rules(), start=1):
            made = broken_rows(c, rule, _keyed(c.dataset, base, i))
            rows_of[(c.dataset, rule.name)] = list(range(len(rows) + 1, len(rows) + 1 + len(made)))
            rows += made
        # an optional column the base row leaves out is in the file when a row breaks its rule
        header = list(dict.fromkeys(h for r in rows for h in r))
        path = write_csv(folder / f"{c.dataset}.csv", header, [[r.get(h, "") for h in header] for r in rows])
        files.append((COMMAND[c.dataset], path))
    results = ingest_files(db, files, options=GX_JUDGE)
    return db, rows_of, results


def _quarantine(db, dataset: str) -> dict[int, tuple[list[str], list[str], dict]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {n: (rules, messages, json.loads(raw)) for n, rules, messages, raw in con.execute(
            "select row_number, rules, messages, raw from quarantine where dataset = $d", {"d": dataset}
        ).fetchall()}
    finally:
        con.close()


def test_every_dataset_has_a_contract_with_rules():
    assert {c.dataset for c in all_contracts()} == set(BASE_ROWS)
    assert all(len(c.rules()) >= 5 for c in all_contracts())


@pytest.mark.slow  # the load behind them has Great Expectations judge every file
def test_the_row_that_breaks_nothing_is_loaded(breaking_load):
    db, _, results = breaking_load
    for r in results:
        assert r.rows_read == r.rows_loaded + r.rows_quarantined
        assert 1 not in _quarantine(db, r.dataset)
        assert r.rows_loaded == 1, r


@pytest.mark.slow  # the load behind them has Great Expectations judge every file
@pytest.mark.parametrize(("dataset", "rule"), _cases())
def test_a_row_breaking_the_rule_is_quarantined_and_says_why(breaking_load, dataset, rule):
    # given a file with a row that breaks this rule, loaded
    db, rows_of, _ = breaking_load
    quarantined = _quarantine(db, dataset)
    the_rule = next(r for r in contract(dataset).rules() if r.name == rule)
    for n in rows_of[(dataset, rule)]:
        # then that row is in the quarantine, whole, with the rule and a plain message naming the column
        assert n in quarantined, f"row {n} breaking {rule} was loaded"
        rules, messages, raw = quarantined[n]
        assert rule in rules
        message = messages[rules.index(rule)]
        named = [c for c in contract(dataset).columns if c in message]
        assert named or the_rule.kind == "key_unique", message
        added_later = {n for n, col in contract(dataset).columns.items() if col.added_later}
        assert set(BASE_ROWS[dataset]) <= set(raw) <= set(BASE_ROWS[dataset]) | added_later


@pytest.mark.slow  # the load behind them has Great Expectations judge every file
def test_great_expectations_counts_equal_the_sql_counts_for_every_rule(breaking_load):
    db, rows_of, results = breaking_load
    con = duckdb.connect(str(db), read_only=True)
    try:
        for r in results:
            got = {rule: (engine, n, sql_n) for rule, engine, n, sql_n in con.execute(
                "select rule, engine, unexpected_count, sql_unexpected_count from contract_results "
                "where batch_id = $b", {"b": r.batch_id}).fetchall()}
            assert set(got) == {x.name for x in contract(r.dataset).rules()}
            for rule, (engine, n, sql_n) in got.items():
                assert engine == "gx"
                assert n == sql_n, f"{r.dataset} {rule}: GX {n}, SQL {sql_n}"
                assert n >= len(rows_of[(r.dataset, rule)]) >= 1
            validation = json.loads(con.execute("select validation from ingest_batches where batch_id = $b",
                                                {"b": r.batch_id}).fetchone()[0])
            assert validation["judge"] == "gx" and validation["success"] is False
            assert validation["disagreements"] == []
    finally:
        con.close()
