"""Data tests of the mart views, declared in each view's YAML under `tests:` and run on a warehouse.

    tests:
      unique: [location_id, as_of]              # the grain's key: no two rows share it
      not_null: [location_id, as_of, rag]       # always filled
      accepted_values:                          # a vocabulary, named once where it is defined:
        rag: vocab.RAG                          #   a name in market_oversight.vocab,
        care_category: contract:fee_rates       #   a data contract's allowed values for the column,
        status: [loaded, rejected]              #   or the words themselves
      relationships:
        location_id: locations.location_id      # every value names a row of another mart

Each test is a query in sql/mart_tests/ returning the offending rows. Column and mart names are
identifiers, which SQL cannot bind: they are taken only from the YAML, checked against the view's
described columns, and quoted; the accepted values are bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from market_oversight import store, vocab
from market_oversight.analyst.dictionary import MartSpec, read_specs
from market_oversight.errors import ConfigError, MartDocsError

TEST_KINDS = ("unique", "not_null", "accepted_values", "relationships")
EXAMPLES = 3


@dataclass(frozen=True)
class MartTest:
    mart: str
    kind: str                       # one of TEST_KINDS
    columns: tuple[str, ...]        # the key (unique) or the one column tested
    accepted: tuple[str, ...] = ()  # accepted_values
    parent: tuple[str, str] | None = None   # relationships: (mart, column)

    def describe(self) -> str:
        cols = ", ".join(self.columns)
        if self.kind == "unique":
            return f"mart.{self.mart}: ({cols}) is unique"
        if self.kind == "not_null":
            return f"mart.{self.mart}.{cols} is never empty"
        if self.kind == "accepted_values":
            return f"mart.{self.mart}.{cols} is one of {', '.join(self.accepted)}"
        return f"mart.{self.mart}.{cols} names a row of mart.{self.parent[0]}.{self.parent[1]}"


@dataclass(frozen=True)
class Failure:
    test: MartTest
    count: int                      # offending rows (or values, for accepted values and relationships)
    examples: list[tuple[Any, ...]]

    def __str__(self) -> str:
        shown = "; ".join(", ".join(str(v) for v in row) for row in self.examples)
        return f"{self.test.describe()}: fails for {self.count} ({shown})"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _vocabulary(ref: Any, where: str, column: str) -> tuple[str, ...]:
    """The accepted words a YAML entry names: vocab.NAME, contract:DATASET, or a list."""
    if isinstance(ref, list) and ref and all(isinstance(v, str) for v in ref):
        return tuple(ref)
    if isinstance(ref, str) and ref.startswith("vocab."):
        words = getattr(vocab, ref.removeprefix("vocab."), None)
        if isinstance(words, (tuple, list, frozenset, dict)) and all(isinstance(w, str) for w in words):
            return tuple(words)
    if isinstance(ref, str) and ref.startswith("contract:"):
        from market_oversight.contracts.model import contract

        try:
            allowed = {n: c.allowed for n, c in contract(ref.removeprefix("contract:")).columns.items()}
        except ConfigError as exc:  # no such contract: say which YAML names it
            raise MartDocsError(f"{where}: accepted_values.{column}: {exc}") from None
        if allowed.get(column):
            return allowed[column]
    raise MartDocsError(f"{where}: accepted_values.{column} must be a list of words, vocab.NAME "
                        f"(a vocabulary in market_oversight/vocab.py) or contract:DATASET "
                        f"(whose column {column} has allowed values); got {ref!r}")


def declared_tests(spec: MartSpec, specs: dict[str, MartSpec]) -> list[MartTest]:
    """The tests one mart's YAML declares, every name checked against the described columns."""
    where = str(spec.source)
    declared = spec.tests
    if not isinstance(declared, dict) or not declared.get("unique"):
        raise MartDocsError(f"{where}: 'tests' must give at least the grain's key as unique: [columns]")
    unknown = sorted(set(declared) - set(TEST_KINDS))
    if unknown:
        raise MartDocsError(f"{where}: unknown tests {unknown}; known: {', '.join(TEST_KINDS)}")

    def known(column: Any, mart: MartSpec = spec) -> str:
        if not isinstance(column, str) or column not in mart.columns:
            raise MartDocsError(f"{where}: tests name column {column!r}, which mart.{mart.name} "
                                "does not describe")
        return column

    out = [MartTest(spec.name, "unique", tuple(known(c) for c in declared["unique"]))]
    out += [MartTest(spec.name, "not_null", (known(c),)) for c in declared.get("not_null") or []]
    for column, ref in (declared.get("accepted_values") or {}).items():
        out.append(MartTest(spec.name, "accepted_values", (known(column),),
                            accepted=_vocabulary(ref, where, column)))
    for column, target in (declared.get("relationships") or {}).items():
        mart, _, parent_column = str(target).partition(".")
        if mart not in specs:
            raise MartDocsError(f"{where}: relationships.{column} names {target!r}; no mart {mart!r}")
        out.append(MartTest(spec.name, "relationships", (known(column),),
                            parent=(mart, known(parent_column, specs[mart]))))
    return out


def all_tests() -> list[MartTest]:
    specs = read_specs()
    return [t for spec in specs.values() for t in declared_tests(spec, specs)]


def _query(test: MartTest) -> tuple[str, dict[str, Any]]:
    names = {"mart": _quoted(test.mart), "column": _quoted(test.columns[0]),
             "key": ", ".join(_quoted(c) for c in test.columns)}
    if test.parent:
        names |= {"parent": _quoted(test.parent[0]), "parent_column": _quoted(test.parent[1])}
    stmt = store.statement(f"mart_tests/{test.kind}")
    return stmt.text.format(**names), stmt.bind({"accepted": list(test.accepted)})


def run_tests(con: duckdb.DuckDBPyConnection, tests: list[MartTest] | None = None) -> list[Failure]:
    """Every failing test, with how many rows (or values) fail and a few of them."""
    failures = []
    for test in all_tests() if tests is None else tests:
        query, params = _query(test)
        rows = con.execute(query, params).fetchall()
        if rows:
            failures.append(Failure(test, len(rows), rows[:EXAMPLES]))
    return failures
