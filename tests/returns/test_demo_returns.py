"""The demo's returns, fees and benchmarks, loaded through the same ingest functions; and Great
Expectations judging the demo's most faulty files to the same counts as the SQL check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions, ingest_files
from tests.conftest import query
from tests.demo_cache import demo_with_files



@pytest.fixture(scope="session")
def demo() -> tuple[Path, Path]:
    """The suite's demo warehouse (seed 1) and the source files it was built from: read only."""
    db, files, _ = demo_with_files()
    return db, files


def test_demo_writes_csv_and_xlsx_per_dataset_and_month(demo):
    _, files = demo
    names = {p.name for p in (files / "returns").iterdir()}
    for dataset in ("care_home_returns", "home_care_returns"):
        assert any(n.startswith(dataset) and n.endswith(".xlsx") for n in names)
        assert any(n.startswith(dataset) and n.endswith(".csv") for n in names)
        assert any(n.startswith(dataset) and "_resubmitted" in n for n in names)


def test_every_demo_row_is_accounted_for(demo):
    db, _ = demo
    bad = query(db, "select count(*) from ingest_batches where rows_read <> rows_loaded + rows_quarantined")
    assert bad == [(0,)]
    loaded = dict(query(db, "select dataset, sum(rows_loaded) from ingest_batches group by all"))
    stored = {d: query(db, f"select count(*) from {d}")[0][0]           # fixed table names
              for d in ("care_home_returns", "home_care_returns")}
    assert {d: loaded[d] for d in stored} == stored
    quarantined = dict(query(db, "select dataset, sum(rows_quarantined) from ingest_batches group by all"))
    assert dict(query(db, "select dataset, count(*) from quarantine group by all")) == {
        d: n for d, n in quarantined.items() if n}


def test_demo_calendar_has_late_and_missing_returns(demo):
    db, _ = demo
    statuses = dict(query(db, "select status, count(*) from mart.expected_returns group by all"))
    assert statuses["on_time"] > statuses["late"] > 0 and statuses["missing"] > 0


@pytest.mark.slow
def test_great_expectations_agrees_with_the_sql_check_on_the_demo_files(demo, tmp_path):
    # given the demo's returns files with the most quarantined rows, and its fees and benchmarks
    db, files = demo
    worst = [Path(s) for (s,) in query(
        db, "select source from ingest_batches where dataset like '%returns' "
            "order by rows_quarantined desc, source limit 3")]
    chosen = [("returns", p) for p in worst] + [
        ("fees", sorted((files / "fees").iterdir())[-1]),
        ("benchmarks", sorted((files / "benchmarks").iterdir())[-1])]
    fresh = tmp_path / "fresh.duckdb"
    ingest_cqc(fresh, str(files / "cqc_api"))
    # when they are loaded with Great Expectations as the judge
    results = ingest_files(fresh, chosen, options=IngestOptions.from_settings(settings_from(None), judge="gx"))
    # then for every rule GX's count of rows breaking it equals the SQL check's
    total = 0
    for r in results:
        v = json.loads(query(fresh, "select validation from ingest_batches where batch_id = $b",
                              {"b": r.batch_id})[0][0])
        assert v["judge"] == "gx" and v["disagreements"] == []
        for rule, counts in v["rules"].items():
            assert counts["unexpected_count"] == counts["sql_unexpected_count"], rule
            total += counts["unexpected_count"]
        assert r.rows_quarantined == query(fresh, "select count(*) from quarantine where batch_id = $b",
                                            {"b": r.batch_id})[0][0]
    assert total >= 3
