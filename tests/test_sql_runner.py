"""One SQL runner: every statement in sql/ declares the values it binds (`-- params:`) and, for a
scoring step, the staged tables it reads (`-- reads:`); `store.run` binds exactly those."""

from __future__ import annotations

import re

import duckdb
import pytest

from market_oversight import store
from market_oversight.errors import WarehouseError
from market_oversight.paths import PROJECT_ROOT, sql_dir
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
_STAGE = re.compile(r"\bstage_[a-z_]+")


def _names() -> list[str]:
    return sorted(str(p.relative_to(sql_dir()).with_suffix("")) for p in sql_dir().rglob("*.sql"))


@pytest.mark.parametrize("name", _names())
def test_each_statement_declares_exactly_the_values_it_binds(name: str) -> None:
    used = set(_PARAM.findall(_COMMENT.sub("", store.sql(name))))
    assert store.statement(name).params == used, f"sql/{name}.sql: fix its `-- params:` line"


def test_each_scoring_step_declares_exactly_the_staged_tables_it_reads() -> None:
    steps = engine.steps(i.name for i in load_thresholds().indicators)
    assert len(steps) > 20
    for step in steps:
        named = set(_STAGE.findall(_COMMENT.sub("", step.source.text)))
        assert step.reads == named, f"sql/{step.source.name}.sql: fix its `-- reads:` line"


def test_run_binds_the_declared_values_and_refuses_others_naming_the_file() -> None:
    con = duckdb.connect()
    con.execute("create schema mart")
    con.execute("create table mart.register (brand_id varchar, brand_name varchar, provider_id varchar, "
                "location_id varchar, is_active boolean)")
    con.execute("insert into mart.register values ('BD1', 'Oak Care', 'P1', 'L1', true), "
                "('BD1', 'Oak Care', 'P1', 'L2', false), ('BD2', 'Elm', 'P2', 'L3', true)")
    assert store.statement("queries/brand").params == {"brand_id"}
    found = store.query(con, "queries/brand", brand_id="BD1").to_dicts()
    assert [(r["brand_name"], r["locations"], r["registered_locations"]) for r in found] == [("Oak Care", 2, 1)]
    with pytest.raises(WarehouseError, match=r"sql/queries/brand\.sql needs brand_id"):
        store.run(con, "queries/brand")
    with pytest.raises(WarehouseError, match=r"sql/queries/brand\.sql does not take as_of"):
        store.run(con, "queries/brand", brand_id="BD1", as_of="2026-01-01")


def test_python_binds_sql_files_only_through_the_runner() -> None:
    # `con.execute(store.sql(...))` would bind without the declarations; store.py reads the text
    # for the runner, and the serving tables and migrations carry no parameters
    found = []
    for path in sorted((PROJECT_ROOT / "market_oversight").rglob("*.py")):
        if path.name == "store.py":
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\bsql\((f?['\"])", line):
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{n}: {line.strip()}")
    assert not found, "use store.run, store.query or store.statement(...).bind:\n" + "\n".join(found)
