"""The analysts' notebooks run headless on a snapshot and produce their outputs: on the demo
warehouse (returns, fees, benchmarks, scores) with figures checked against the marts, and on an
empty warehouse, where the cells that need data say so instead of failing."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from market_oversight import store
from market_oversight.analyst import snapshot
from market_oversight.paths import PROJECT_ROOT

NOTEBOOKS = PROJECT_ROOT / "notebooks"
NAMES = ("starter", "market_overview", "fee_analysis", "ratings_and_risk", "market_report")


@pytest.fixture(scope="session")
def demo_snapshot(demo_db: Path) -> Path:
    return snapshot.publish_snapshot(demo_db, keep=1)


@pytest.fixture(scope="session")
def empty_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("analyst-empty") / "empty.duckdb"
    with store.warehouse(db, publish=False):
        pass
    return snapshot.publish_snapshot(db, keep=1)


def run_notebook(name: str, snap: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]]:
    """Run a notebook as a script against `snap`; returns the text of its outputs and its definitions."""
    monkeypatch.setenv(snapshot.SNAPSHOT_ENV, str(snap))
    monkeypatch.setenv("MARKET_OVERSIGHT_BACKTEST_MONTHS", "4")
    spec = importlib.util.spec_from_file_location(f"notebook_{name}", NOTEBOOKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    outputs, defs = module.app.run()
    text = "\n".join(getattr(o, "text", "") for o in outputs if o is not None)
    return text, defs


def query(snap: Path, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    with snapshot.open_snapshot(snap) as con:
        return con.execute(sql, params or {}).fetchall()


def has_returns(snap: Path) -> bool:
    return query(snap, "select count(*) from mart.care_home_returns")[0][0] > 0


def test_every_notebook_is_in_the_tested_list() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.py")) == sorted(NAMES)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_an_empty_warehouse_and_says_so(name: str, empty_snapshot: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    text, defs = run_notebook(name, empty_snapshot, monkeypatch)
    assert "con" in defs
    if name == "market_overview":
        assert "No care-home returns in this snapshot yet" in text
        assert "occupancy_last_12" not in defs
    if name == "fee_analysis":
        assert "No fee rates, benchmarks or returns in force" in text
        assert "uplift_totals" not in defs
    if name == "market_report":
        assert "No CQC data in this snapshot yet" in text
    if name == "ratings_and_risk":
        assert "No risk scores in this snapshot" in text
        assert "No backtest: no monthly returns in this snapshot yet" in text


def test_starter_is_connected_read_only(demo_snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, defs = run_notebook("starter", demo_snapshot, monkeypatch)
    assert str(demo_snapshot) in text and "read-only" in text
    views = set(defs["marts"]["view"])
    assert views == {p.stem for p in (PROJECT_ROOT / "sql" / "marts").glob("*.sql")}
    services = sum(defs["example"]["services"])
    assert services == query(demo_snapshot, "select count(*) from mart.locations where is_active")[0][0] > 0
    with pytest.raises(Exception, match="read-only"):
        defs["con"].execute("create table main.mine (a integer)")


def test_market_overview_figures_match_the_marts(demo_snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, defs = run_notebook("market_overview", demo_snapshot, monkeypatch)
    capacity = defs["capacity"]
    (services, beds), = query(demo_snapshot, "select count(*), sum(beds) from mart.locations where is_active")
    assert sum(capacity["services"]) == services > 200
    assert sum(b for b in capacity["registered_beds"] if b is not None) == beds
    ratings = defs["ratings_by_area"]
    for (kind, area), group in ratings.group_by("service_kind", "area"):
        assert abs(sum(group["share_pct"]) - 100) < 0.5, (kind, area)
    assert has_returns(demo_snapshot), "the demo should load monthly returns"
    # occupancy over the last 12 months, recomputed from the returns mart for one area
    last12 = defs["occupancy_last_12"]
    area = last12["area"][0]
    (occupied, total), = query(demo_snapshot, """
        select sum(r.occupied_beds), sum(r.beds)
        from mart.care_home_returns as r join mart.locations as l using (location_id)
        where l.icb_name = $area and r.beds is not null and r.occupied_beds is not null
          and r.period > (select max(period) from mart.care_home_returns) - interval 12 month
    """, {"area": area})
    assert last12.filter(last12["area"] == area)["occupancy"][0] == pytest.approx(occupied / total, abs=1e-4)
    assert 0.5 < occupied / total < 1


def test_fee_analysis_costs_an_uplift_from_the_marts(demo_snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, defs = run_notebook("fee_analysis", demo_snapshot, monkeypatch)
    assert query(demo_snapshot, "select count(*) from mart.fee_rates")[0][0] and has_returns(demo_snapshot)
    gaps, as_of = defs["fee_gaps"], defs["as_of"]
    # given one care-home rate below the council's usual rate, recompute its yearly cost by hand
    row = gaps.filter((gaps["unit"] == "week") & gaps["below_benchmark"] & (gaps["units_per_year"] > 0)
                      & (gaps["benchmark"] == "council_usual_rate")).row(0, named=True)
    (fee,), = query(demo_snapshot, """
        select amount from mart.fee_rates
        where location_id = $loc and care_category = $cat
          and effective_from <= $d and (effective_to is null or effective_to >= $d)
    """, {"loc": row["location_id"], "cat": row["care_category"], "d": as_of})
    (benchmark,), = query(demo_snapshot, """
        select amount from mart.benchmarks
        where care_category = $cat and benchmark = 'council_usual_rate'
          and year_start <= $d and $d < year_start + interval 1 year
    """, {"cat": row["care_category"], "d": as_of})
    (residents,), = query(demo_snapshot, """
        select residents_council from mart.care_home_returns
        where location_id = $loc and period > cast($d as date) - interval 3 month
        order by period desc limit 1
    """, {"loc": row["location_id"], "d": as_of})
    (categories,), = query(demo_snapshot, """
        select count(*) from mart.fee_rates
        where location_id = $loc and unit = 'week'
          and effective_from <= $d and (effective_to is null or effective_to >= $d)
    """, {"loc": row["location_id"], "d": as_of})
    expected = (benchmark - fee) * residents / categories * 365.25 / 7
    assert row["yearly_cost"] == pytest.approx(expected)
    # and the totals: at-risk providers are a part of all providers
    totals = {r["benchmark"]: r for r in defs["uplift_totals"].iter_rows(named=True)}
    usual = totals["council_usual_rate"]
    assert 0 < usual["red or amber"] <= usual["all providers"]
    assert usual["all providers"] == pytest.approx(
        gaps.filter(gaps["benchmark"] == "council_usual_rate")["yearly_cost"].sum(), rel=1e-6)
    assert "Yearly cost of lifting every fee below a benchmark" in text


def test_ratings_and_risk_shows_movements_and_a_backtest(demo_snapshot: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    text, defs = run_notebook("ratings_and_risk", demo_snapshot, monkeypatch)
    (rerated,), = query(demo_snapshot, """
        select count(*) from (
            select lag(rating) over (partition by location_id order by report_date) as previous
            from mart.ratings where key_question = 'overall'
        ) where previous is not null
    """)
    matrix = defs["transition_matrix"]
    assert sum(sum(matrix[c]) for c in matrix.columns if c != "previous_rating") == rerated > 0
    (scored,), = query(demo_snapshot, "select count(*) from mart.risk_current")
    assert sum(sum(defs["rag_now"][c]) for c in defs["rag_now"].columns if c != "service_kind") == scored > 0
    assert "No backtest" not in text
    backtest = defs["backtest"]
    assert backtest["events_source"] == "demo_truth"
    assert backtest["as_of_dates"] == 4
    assert backtest["location_dates"] > 0 and 0 <= backtest["roc_auc"] <= 1
    assert len(defs["indicators"]) > 0
    # the backtest ran on a scratch copy: the snapshot is unchanged and holds no backtest tables
    assert not query(demo_snapshot, "select count(*) from information_schema.tables "
                                    "where table_name like 'bt_%'")[0][0]


@pytest.mark.slow
def test_marimo_exports_a_notebook_headless(demo_snapshot: Path, tmp_path: Path) -> None:
    # the command an analyst or CI runs: marimo executes every cell in its own kernel and fails if
    # any cell fails (the other notebooks run in-process above; one export keeps the suite fast)
    name = "starter"
    notebook = tmp_path / f"{name}.py"  # a copy, so marimo's session cache is not written into the repo
    shutil.copyfile(NOTEBOOKS / f"{name}.py", notebook)
    out = tmp_path / f"{name}.html"
    env = {**os.environ, snapshot.SNAPSHOT_ENV: str(demo_snapshot), "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([sys.executable, "-m", "marimo", "export", "html", str(notebook),
                           "-o", str(out)], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    assert "some cells failed" not in done.stderr
    html = out.read_text(encoding="utf-8")
    assert "latest_overall_rating" in html
