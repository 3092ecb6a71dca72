"""The marts' data tests (keys unique, not null, accepted values, relationships) declared in their YAML:
they hold on the demo, and each kind finds a planted fault."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from market_oversight import store, vocab
from market_oversight.analyst import dictionary
from market_oversight.analyst.mart_tests import MartTest, all_tests, run_tests, declared_tests
from market_oversight.cli import main
from market_oversight.errors import MartDocsError


def test_every_mart_declares_its_key_and_the_demo_passes_every_test(demo_db: Path) -> None:
    # given every mart's declared tests
    tests = all_tests()
    # then each mart has at least its grain's key, and the four kinds are all in use
    assert {t.mart for t in tests if t.kind == "unique"} == set(dictionary.read_specs())
    assert {t.kind for t in tests} == {"unique", "not_null", "accepted_values", "relationships"}
    # when run on the scored demo warehouse, then none fails
    with store.warehouse(demo_db, read_only=True) as con:
        assert [str(f) for f in run_tests(con, tests)] == []
        # and the tests are not vacuous there: the marts they read hold rows
        assert con.execute("select count(*) from mart.risk_current").fetchone()[0] > 100


def test_vocabularies_come_from_their_one_definition() -> None:
    by_name = {(t.mart, t.columns[0]): t.accepted for t in all_tests() if t.kind == "accepted_values"}
    assert by_name[("risk_current", "rag")] == vocab.RAG
    assert by_name[("ratings", "rating")] == vocab.RATINGS
    assert by_name[("fee_rates", "care_category")] == (
        "residential", "residential_dementia", "nursing", "nursing_dementia", "home_care")


@pytest.fixture
def planted() -> duckdb.DuckDBPyConnection:
    """An in-memory database whose mart schema holds one fault of each kind."""
    con = duckdb.connect()
    con.execute("create schema mart")
    con.execute("create table mart.locations as select * from (values ('a'), ('b')) t(location_id)")
    con.execute("""create table mart.risk_current as select * from (values
        ('a', 'red'), ('a', 'amber'), ('ghost', 'purple'), ('b', null)) t(location_id, rag)""")
    yield con
    con.close()


@pytest.mark.parametrize(("test", "count", "example"), [
    (MartTest("risk_current", "unique", ("location_id",)), 1, ("a", 2)),
    (MartTest("risk_current", "not_null", ("rag",)), 1, ("b", None)),
    (MartTest("risk_current", "accepted_values", ("rag",), accepted=vocab.RAG), 1, ("purple", 1)),
    (MartTest("risk_current", "relationships", ("location_id",), parent=("locations", "location_id")),
     1, ("ghost",)),
])
def test_each_kind_of_test_finds_its_planted_fault(planted, test: MartTest, count: int, example) -> None:
    # when the one test runs on the planted marts
    failures = run_tests(planted, [test])
    # then it fails, counting and showing the offending row
    assert [(f.count, f.examples) for f in failures] == [(count, [example])]
    assert test.describe() in str(failures[0])


def _spec(tests: dict) -> dictionary.MartSpec:
    spec = dictionary.read_specs()["risk_current"]
    return dataclasses.replace(spec, tests=tests)


@pytest.mark.parametrize(("tests", "message"), [
    ({"not_null": ["rag"]}, "at least the grain's key"),
    ({"unique": ["location"]}, "column 'location', which mart.risk_current does not describe"),
    ({"unique": ["location_id"], "accepted": {"rag": "vocab.RAG"}}, "unknown tests"),
    ({"unique": ["location_id"], "accepted_values": {"rag": "vocab.COLOURS"}}, "accepted_values.rag must be"),
    ({"unique": ["location_id"], "accepted_values": {"rag": "contract:nowhere"}}, "no data contract"),
    ({"unique": ["location_id"], "relationships": {"location_id": "sites.location_id"}}, "no mart 'sites'"),
])
def test_a_mistaken_declaration_is_refused_naming_the_file(tests: dict, message: str) -> None:
    specs = dictionary.read_specs()
    with pytest.raises(MartDocsError, match=message) as err:
        declared_tests(_spec(tests), specs)
    assert "risk_current.yml" in str(err.value)


def test_the_command_reports_a_failure_and_exits_non_zero(warehouse_copy: Path, capsys) -> None:
    # given the demo, passing, then with one rating word outside the vocabulary
    assert main(["mart-tests", "--db", str(warehouse_copy)]) == 0
    assert "passed" in capsys.readouterr().out
    with store.warehouse(warehouse_copy, publish=False) as con:
        con.execute("update cqc_ratings set rating = 'Excellent' where key_question = 'caring' "
                    "and location_id = (select min(location_id) from cqc_ratings)")
    # when the command runs, then it names the broken test and fails
    assert main(["mart-tests", "--db", str(warehouse_copy)]) == 1
    out = capsys.readouterr().out
    assert "mart.ratings.rating is one of" in out and "Excellent" in out
