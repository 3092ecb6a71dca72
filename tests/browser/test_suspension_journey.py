"""Issue 18's journey in chromium: find a provider by name from the overview, open its company page,
go to one of its green homes, suspend placements there, and see the suspension on the watchlist,
the profile and the overview's map at once (one truth: red everywhere). On an app of its own, so the
suspension changes no other test's warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
from playwright.sync_api import Browser, Page, expect

from market_oversight import fmt, store
from tests.browser.conftest import serve_app
from tests.browser.streamlit_page import (WIDTHS, axe_check, open_page, page_at, screenshot, settle,
                                          type_in_search)
from tests.demo_cache import copy_warehouse, suite_demo

MAP_SUMMARY = re.compile(r"(\d+) locations? on the map: (\d+) red, (\d+) amber,? (?:and )?(\d+) green")


def _green_home_of_a_findable_provider(db: Path) -> tuple[str, str, str]:
    """(provider id, provider name, location id): a provider whose name is its own, and one of its
    green care homes with no suspension, concern or override."""
    with store.warehouse(db, read_only=True) as con:
        row = con.execute("""
            select g.provider_id, any_value(g.provider_name), min(c.location_id)
            from mart.risk_current as c join mart.register as g using (location_id)
            where c.rag = 'green' and c.computed_rag = 'green' and not c.suspended
              and g.service_kind = 'care_home' and g.is_active
              and g.provider_name in (select provider_name from mart.register group by provider_name
                                      having count(distinct provider_id) = 1)
            group by g.provider_id order by count(*) desc, g.provider_id limit 1""").fetchone()
    assert row, "the demo has no green care home of a provider with a name of its own"
    return row


def _map_counts(page: Page) -> dict[str, int]:
    open_page(page, "/")
    summary = page.get_by_text(MAP_SUMMARY).first
    expect(summary).to_be_visible()
    total, red, amber, green = (int(n) for n in MAP_SUMMARY.search(summary.inner_text()).groups())
    return {"total": total, "red": red, "amber": amber, "green": green}


def _watchlist_rag(page: Page, location_id: str, tmp_path: Path) -> str | None:
    open_page(page, "/watchlist")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download watchlist (CSV)").click()
    saved = tmp_path / "watchlist.csv"
    download.value.save_as(saved)
    listed = pl.read_csv(saved, infer_schema=False).filter(pl.col("CQC location ID") == location_id)
    return listed["RAG"][0] if listed.height else None


def test_a_suspension_recorded_after_finding_the_provider_shows_on_every_page(
        browser: Browser, browser_env: dict[str, str], tmp_path: Path) -> None:
    db = copy_warehouse(suite_demo(), tmp_path / "journey18" / "demo.duckdb")
    provider_id, name, location_id = _green_home_of_a_findable_provider(db)
    with serve_app(db, browser_env, "streamlit-journey18.log") as url, \
            page_at(browser, url, WIDTHS["laptop-1366"]) as page:
        before = _map_counts(page)
        assert _watchlist_rag(page, location_id, tmp_path) is None   # green: not on the watchlist
        # Given the overview, when the provider is found by part of its name and its page opened
        open_page(page, "/")
        type_in_search(page, name.lower()[: max(4, len(name) - 4)])
        suggestion = page.get_by_role("link", name=name, exact=True)
        expect(suggestion).to_be_visible()
        settle(page)  # the search has finished its rerun, so the link clicked is the one drawn
        suggestion.click()
        page.wait_for_url(re.compile(rf"/provider\?provider={re.escape(provider_id)}"))
        settle(page)
        expect(page.locator("h1").first).to_have_text(f"What do we know about {name}?")
        # and on one of its green homes placements are suspended
        open_page(page, f"/profile?location={location_id}")
        rag = page.get_by_test_id("stMetric").filter(has_text="RAG").first
        expect(rag).to_contain_text(fmt.rag("green"))
        page.get_by_role("tab", name=re.compile(r"^Suspensions \(\d+\)$")).click()
        form = page.locator('[data-testid="stForm"]').filter(has_text="Suspend placements")
        form.get_by_role("textbox", name="Reason (shown on the published list)").fill("Safeguarding enquiry opened")
        form.get_by_role("button", name="Suspend placements").click()
        expect(page.get_by_text("Placements suspended. The service now appears on the published list.")).to_be_visible()
        settle(page)
        # Then the profile says red at once
        expect(page.get_by_test_id("stMetric").filter(has_text="RAG").first).to_contain_text(fmt.rag("red"))
        screenshot(page, "journey18-profile-suspended-laptop-1366", full_page=False)
        ours, _ = axe_check(page, "journey18-profile-suspended-laptop-1366")
        assert not ours, "\n".join(ours)
        # and so do the watchlist and the map, which moves it from green to red
        assert _watchlist_rag(page, location_id, tmp_path) == fmt.rag("red")
        after = _map_counts(page)
        assert after == dict(before, red=before["red"] + 1, green=before["green"] - 1)
        screenshot(page, "journey18-overview-after-laptop-1366", full_page=False)
