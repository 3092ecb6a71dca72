"""The overview page offers the monthly market report as a download, and the file it gives (made by
the same function on the serving copy) is the whole report, self-contained."""

from __future__ import annotations

from pathlib import Path

import duckdb

from market_oversight import fmt, store
from market_oversight.analyst import market_report

from .conftest import assert_clean, open_page, read


def test_overview_offers_the_market_report_and_it_is_whole(app_env: Path) -> None:
    # Given the scored demo, when the overview opens
    at = open_page()
    assert_clean(at)
    # Then it offers the monthly market report as an HTML file
    buttons = [b for b in at.get("download_button") if "monthly market report" in b.proto.label]
    assert len(buttons) == 1
    # And the file is the report: every section, the red care homes counted, nothing to fetch
    (red,), = read(app_env, "select count(*) from mart.risk_current join mart.locations using (location_id) "
                            "where is_active and rag = 'red' and service_kind = 'care_home'")
    with duckdb.connect(str(store.current_serving_copy(app_env)), read_only=True) as con:
        page = market_report.page(con, None)
    for title in ("Capacity and occupancy", "Ratings mix against England", "Fees against benchmarks",
                  "Risk by kind of service"):
        assert f"<h2>{title}</h2>" in page
    expected = market_report.SUPPRESSED if market_report.is_small(red) else fmt.count(red)
    assert f'<td>{fmt.service_kind("care_home")}</td><td>{expected}</td>' in page
    assert "<svg" in page and "<script" not in page and "http" not in page
