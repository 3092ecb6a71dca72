"""`market-oversight report NOTEBOOK`: every notebook's report is one HTML file that opens in chromium
with the network cut off and shows its tables (a cell checked against the snapshot's marts) and its
charts (inline SVG). Screenshots at a laptop's and a phone's width go to test-output/screenshots/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from market_oversight import fmt
from market_oversight.analyst import snapshot
from market_oversight.analyst.report import notebook_path, write_report
from market_oversight.cli import main
from market_oversight.errors import ReportError
from tests.analyst.test_analyst_notebooks import NAMES, query
from tests.browser.streamlit_page import SCREENSHOTS

WIDTHS = (1366, 390)
_TABLES_JS = """() => [...document.querySelectorAll('table')].map(t => ({
    headers: [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => td.innerText.trim())),
}))"""


@pytest.fixture(scope="module")
def demo_snapshot(demo_db: Path) -> Path:
    return snapshot.publish_snapshot(demo_db, keep=1)


def _cell(tables: list[dict], column: str, row_starts: tuple[str, ...]) -> list[str]:
    """The text under heading `column` in every table row whose first cells are `row_starts`."""
    found = []
    for t in tables:
        if column in t["headers"]:
            at = t["headers"].index(column)
            found += [r[at] for r in t["rows"] if tuple(r[:len(row_starts)]) == row_starts]
    return found


# Per notebook: (heading, first cells of the row, the value the snapshot's marts give for that cell).
def _starter(snap: Path) -> tuple[str, tuple[str, ...], str]:
    (n,), = query(snap, "select count(*) from mart.locations where is_active and service_kind = 'care_home' "
                        "and latest_overall_rating = 'Good'")
    return "Services", (fmt.service_kind("care_home"), fmt.rating("Good")), fmt.count(n)


def _market_overview(snap: Path) -> tuple[str, tuple[str, ...], str]:
    (la, area, beds), = query(snap, """
        select local_authority, icb_name, sum(beds) from mart.locations
        where is_active and service_kind = 'care_home' group by all order by all limit 1""")
    return "Registered beds", (la, area, fmt.service_kind("care_home")), fmt.count(beds)


def _fee_analysis(snap: Path) -> tuple[str, tuple[str, ...], str]:
    (amount,), = query(snap, """
        select amount from mart.benchmarks
        where care_category = 'residential' and benchmark = 'council_usual_rate'
          and year_start <= (select max(period) from mart.care_home_returns)
          and (select max(period) from mart.care_home_returns) < year_start + interval 1 year""")
    return "Benchmark amount", (fmt.care_category("residential"), "week", fmt.benchmark("council_usual_rate")), \
        fmt.money(amount)


def _ratings_and_risk(snap: Path) -> tuple[str, tuple[str, ...], str]:
    (n,), = query(snap, """
        select count(*) from mart.risk_history as h join mart.locations as l using (location_id)
        where h.as_of = (select max(as_of) from mart.risk_history) and h.rag = 'red'
          and l.service_kind = 'care_home'""")
    return fmt.rag("red"), (fmt.service_kind("care_home"),), fmt.count(n)


def _market_report(snap: Path) -> tuple[str, tuple[str, ...], str]:
    (n,), = query(snap, """
        select count(*) from mart.risk_current as r join mart.locations as l using (location_id)
        where l.is_active and r.rag = 'red' and l.service_kind = 'care_home'""")
    assert n >= 5, "the demo should have enough red care homes for the figure to be shown"
    return fmt.rag("red"), (fmt.service_kind("care_home"),), fmt.count(n)


EXPECTED: dict[str, Callable[[Path], tuple[str, tuple[str, ...], str]]] = {
    "starter": _starter, "market_overview": _market_overview, "fee_analysis": _fee_analysis,
    "ratings_and_risk": _ratings_and_risk, "market_report": _market_report,
}


def test_every_notebook_has_a_report_check() -> None:
    assert sorted(EXPECTED) == sorted(NAMES)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_report_opens_offline_with_its_tables_and_charts(name: str, demo_snapshot: Path, browser,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a notebook's report, written by the command an analyst runs
    monkeypatch.setenv("MARKET_OVERSIGHT_BACKTEST_MONTHS", "4")
    out = tmp_path / f"{name}.html"
    assert main(["report", name, "--snapshot", str(demo_snapshot), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    # nothing in it could fetch anything: no script, no stylesheet link, no URL at all
    for forbidden in ("<script", "<link", "http://", "https://", "@import", " src="):
        assert forbidden not in text.lower(), forbidden
    heading, row, value = EXPECTED[name](demo_snapshot)
    for width in WIDTHS:
        # when it is opened in chromium with the network cut off
        context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
        asked = []
        context.on("request", lambda r: asked.append(r.url))
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page = context.new_page()
        try:
            page.goto(out.as_uri())
            # then its table shows the snapshot's figure, formatted, and its charts are drawn
            assert value in _cell(page.evaluate(_TABLES_JS), heading, row), (heading, row, value)
            charts = page.locator(".chart svg")
            if name != "starter":
                assert charts.count() >= 1 and charts.first.bounding_box()["width"] > 100
            # the page never scrolls sideways (wide tables scroll inside their own box)
            assert page.evaluate("document.documentElement.scrollWidth") == width
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"report-{name}-{width}.png", full_page=True)
        finally:
            context.close()
        assert [u for u in asked if not u.startswith("file:")] == []


def test_a_notebook_is_found_by_name_or_path(tmp_path: Path) -> None:
    assert notebook_path("market_report").name == "market_report.py"
    assert notebook_path(str(notebook_path("starter"))) == notebook_path("starter")
    with pytest.raises(ReportError, match="market_overview"):
        notebook_path("no_such_notebook")


def test_a_failing_notebook_writes_nothing(demo_snapshot: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text(
        "import marimo\napp = marimo.App()\n\n@app.cell\ndef _():\n    1 / 0\n    return\n", encoding="utf-8")
    out = tmp_path / "broken.html"
    with pytest.raises(ReportError, match="broken.py failed while running: ZeroDivisionError"):
        write_report(str(broken), out, str(demo_snapshot))
    assert not out.exists()
