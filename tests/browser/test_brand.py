"""The brand (group) page in chromium at a laptop's and a phone's width (issue 18, point 2): found
by typing part of the brand's name in the search, every location of its providers with links to each
profile and provider page, the group's RAG history; no sideways scrolling, axe-core clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import BRAND_ID, BRAND_NAME
from tests.browser.streamlit_page import (WIDTHS, axe_check, open_page, page_at, screenshot, settle,
                                          sideways_overflow, type_in_search)


@pytest.mark.parametrize("width", WIDTHS)
def test_find_a_brand_by_name_and_read_its_locations(browser: Browser, branded_url: str, red_location,
                                                     red_provider: str, width: str) -> None:
    with page_at(browser, branded_url, WIDTHS[width]) as page:
        # Given the red location's profile, whose provider belongs to a brand
        open_page(page, f"/profile?location={red_location[0]}")
        expect(page.get_by_role("link", name=f"Its brand: {BRAND_NAME}")).to_be_visible()
        # When part of the brand's name is typed into the search (in the menu)
        type_in_search(page, "hollowmere")
        suggestion = page.get_by_role("link", name=BRAND_NAME, exact=True)
        expect(suggestion).to_be_visible()
        settle(page)  # the search has finished its rerun, so the link clicked is the one drawn
        suggestion.click()
        # Then the brand page opens with its locations, its providers and its history
        page.wait_for_url(re.compile(rf"/brand\?brand={BRAND_ID}"))
        settle(page)
        expect(page.locator("h1").first).to_have_text(f"What do we know about {BRAND_NAME}?")
        expect(page.get_by_text("Which of its locations are at risk?")).to_be_visible()
        expect(page.get_by_text("How has the group's risk changed over time?")).to_be_visible()
        expect(page.locator(f'a[href*="provider?provider={red_provider}"]').first).to_be_visible()
        if width.startswith("phone") and page.get_by_test_id("stSidebarCollapseButton").is_visible():
            page.get_by_test_id("stSidebarCollapseButton").click()
        page.wait_for_timeout(1500)  # the history chart draws after the script
        screenshot(page, f"brand-page-{width}")
        assert sideways_overflow(page) <= 1
        ours, _ = axe_check(page, f"brand-page-{width}")
        assert not ours, "\n".join(ours)
