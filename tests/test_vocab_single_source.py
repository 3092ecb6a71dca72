"""Vocabularies are written once (market_oversight.vocab, colours in market_oversight.fmt): SQL gets
them bound as parameters, other modules import them. These tests find a vocabulary spelt out again."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from market_oversight import fmt, vocab
from market_oversight.paths import PROJECT_ROOT

SQL = PROJECT_ROOT / "sql"
PACKAGE = PROJECT_ROOT / "market_oversight"
# Files that write made-up data, not rules: the demo's casework and the synthetic benchmark.
NOT_RULES = {"demo", "bench_synthetic.sql"}
SQL_REPEATS = {
    "good ratings": re.compile(r"'(Outstanding|Good)'\s*,\s*'(Outstanding|Good)'"),
    "poor ratings": re.compile(r"'(Requires improvement|Inadequate)'\s*,\s*'(Requires improvement|Inadequate)'"),
    "rating rank": re.compile(r"\('(Outstanding|Good|Requires improvement|Inadequate)'\s*,\s*\d\)"),
    "RAG order": re.compile(r"when\s+'(red|amber|green)'\s+then\s+\d"),
}
HEX = re.compile(r"[\"']#[0-9A-Fa-f]{6}[\"']")


def sql_files() -> list[Path]:
    return [p for p in sorted(SQL.rglob("*.sql")) if not NOT_RULES & {p.name, *p.relative_to(SQL).parts}]


@pytest.mark.parametrize("what", SQL_REPEATS)
def test_no_sql_file_spells_out_a_vocabulary(what: str) -> None:
    found = [str(p.relative_to(PROJECT_ROOT)) for p in sql_files()
             if SQL_REPEATS[what].search(re.sub(r"--[^\n]*", "", p.read_text()))]
    assert not found, f"{what} written out in {found}: bind it from market_oversight.vocab.sql_params()"


def test_pages_take_their_colours_from_fmt() -> None:
    found = [str(p.relative_to(PROJECT_ROOT)) for p in sorted((PACKAGE / "pages").rglob("*.py"))
             if HEX.search(p.read_text())]
    assert not found, f"colours written in pages, not taken from market_oversight/fmt.py: {found}"


def test_service_kind_labels_are_written_only_in_fmt() -> None:
    labels = re.compile(r"[\"']care_home[\"']\s*:\s*[\"'][Cc]are home[\"']")
    found = [str(p.relative_to(PROJECT_ROOT)) for p in sorted(PACKAGE.rglob("*.py"))
             if p.name != "fmt.py" and labels.search(p.read_text())]
    assert not found, f"service-kind labels written outside fmt.SERVICE_KIND_LABELS: {found}"


def test_the_bound_parameters_give_the_python_vocabulary() -> None:
    params = vocab.sql_params()
    with duckdb.connect() as con:
        ranks = dict(con.execute(
            "select rating, list_position($ratings_worst_first, rating) "
            "from (select unnest($ratings_worst_first) as rating)", {"ratings_worst_first": params["ratings_worst_first"]}
        ).fetchall())
        poor = {r for (r,) in con.execute("select r from (select unnest($all) as r) "
                                          "where list_contains($poor_ratings, r)",
                                          {"all": list(vocab.RATINGS), "poor_ratings": params["poor_ratings"]}).fetchall()}
        good = {r for (r,) in con.execute("select r from (select unnest($all) as r) "
                                          "where list_contains($good_ratings, r)",
                                          {"all": list(vocab.RATINGS), "good_ratings": params["good_ratings"]}).fetchall()}
    assert ranks == vocab.RATING_RANK
    assert poor == vocab.POOR_RATINGS
    assert good == vocab.GOOD_RATINGS == {"Outstanding", "Good"}
    assert set(fmt.SERVICE_KIND_LABELS) == set(fmt.SERVICE_KIND_COLOURS) == set(vocab.SERVICE_KINDS)
