"""bench/browser_load.py at CI size: one browser session moves between pages and opens fresh tabs
while a load (ingest then score, each its own process) runs, with no error on any page or in the
app's log. The figures are the benchmark's (README); here only that it runs and nothing fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_cache import copy_warehouse, suite_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_session_browses_through_a_load_and_sees_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.browser_load import run

    monkeypatch.delenv("MARKET_OVERSIGHT_CONFIG", raising=False)
    db = copy_warehouse(suite_demo(), tmp_path / "warehouse.duckdb")
    result = run(sessions=1, duration=15, workdir=tmp_path, db=db)
    assert result["error_samples"] == [] and result["errors"] == 0
    assert result["load_seconds"], "no load finished while the session browsed"
    assert result["navigation"]["count"] >= 3 and result["fresh_tab"]["count"] >= 1
