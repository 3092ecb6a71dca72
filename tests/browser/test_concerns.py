"""The profile's provider-concerns panel in chromium, at a laptop's and a phone's width: the demo's
large-scale enquiry is open with its stages and meetings, the panel fits the window, axe-core finds
nothing of ours on the page as first drawn; screenshots in test-output/screenshots/concerns-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from market_oversight import store
from tests.browser.streamlit_page import SCREENSHOTS, WIDTHS, axe_check, page_at, settle


def _enquiry_location(db: Path) -> str:
    with store.warehouse(db, read_only=True) as con:
        row = con.execute("select location_id from mart.provider_concerns "
                          "where is_open and stage = 'large_scale_enquiry' order by location_id").fetchone()
    assert row, "the demo has no open large-scale enquiry"
    return row[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_concerns_panel_reads_at_laptop_and_phone_width(browser: Browser, app_url: str, demo_db: Path,
                                                            width: str) -> None:
    location_id = _enquiry_location(demo_db)
    with page_at(browser, app_url, WIDTHS[width]) as page:
        page.goto(f"/profile?location={location_id}")
        settle(page)
        panel = page.locator('[data-testid="stExpander"]').filter(has_text="Large-scale enquiry since")
        expect(panel).to_be_visible()
        panel.scroll_into_view_if_needed()
        _fits(page, panel)
        ours, _ = axe_check(page, f"concerns-{width}")
        assert not ours, "\n".join(ours)
        # the stages in order, with the dates and who recorded them
        expect(panel.get_by_role("tab", name="Stages (3)")).to_be_visible()
        expect(panel.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        _photograph(page, panel, f"concerns-{width}-stages")
        # the meetings, each with who attended and what was decided, as typed
        panel.get_by_role("tab", name="Meetings (2)").click()
        expect(panel.get_by_text("Weekly monitoring visits; provider to send daily staffing figures")).to_be_visible()
        expect(panel.get_by_role("button", name="Record meeting")).to_be_visible()  # the demo user manages contracts
        _fits(page, panel)
        _photograph(page, panel, f"concerns-{width}-meetings")


def _fits(page: Page, panel: Locator) -> None:
    """The panel is no wider than the window. (The whole profile scrolls sideways at a phone's width
    because of its tables' and casework tabs' own width, which is not this panel's.)"""
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1, box


def _photograph(page: Page, panel: Locator, name: str) -> None:
    """The whole panel, however tall: the window is made as tall as it for a moment."""
    viewport = page.viewport_size
    box = panel.bounding_box()
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], int(box["height"]) + 200)})
    page.wait_for_timeout(400)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size(viewport)
