"""Issue 18's journey "find a provider by name from the overview, open its company page", in
chromium at a laptop's and a phone's width: the search in the menu suggests while one types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from market_oversight import store
from tests.browser.streamlit_page import (WIDTHS, axe_check, open_page, page_at, screenshot, settle,
                                          sideways_overflow, type_in_search)


def _provider_with_most_locations(db: Path) -> tuple[str, str]:
    """(provider ID, name) of the provider with the most locations whose name no other provider has."""
    with store.warehouse(db, read_only=True) as con:
        return con.execute("""
            select provider_id, any_value(provider_name) from mart.register
            where provider_name in (select provider_name from mart.register group by provider_name
                                    having count(distinct provider_id) = 1)
            group by provider_id order by count(*) desc, provider_id limit 1""").fetchall()[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_find_a_provider_by_name_from_the_overview_and_open_its_company_page(
        browser: Browser, app_url: str, demo_db: Path, width: str) -> None:
    provider_id, name = _provider_with_most_locations(demo_db)
    with page_at(browser, app_url, WIDTHS[width]) as page:
        # Given the market overview (at a phone's width the menu is opened first)
        open_page(page, "/")
        # When part of the provider's name is typed in lower case into the search, without Enter
        type_in_search(page, name.lower()[: max(4, len(name) - 4)])
        suggestion = page.get_by_role("link", name=name, exact=True)
        # Then its company page is suggested while typing, and opens from the suggestion
        expect(suggestion).to_be_visible()
        settle(page)  # the search has finished its rerun, so the link clicked is the one drawn
        screenshot(page, f"find-suggestions-{width}", full_page=False)
        ours, _ = axe_check(page, f"find-suggestions-{width}")
        assert not ours, "\n".join(ours)
        suggestion.click()
        page.wait_for_url(re.compile(rf"/provider\?provider={re.escape(provider_id)}"))
        settle(page)
        expect(page.locator("h1").first).to_have_text(f"What do we know about {name}?")
        expect(page.get_by_text("Which of its locations are at risk?")).to_be_visible()
        expect(page.get_by_text("How has the group's risk changed over time?")).to_be_visible()
        if page.get_by_test_id("stSidebarCollapseButton").is_visible() and width.startswith("phone"):
            page.get_by_test_id("stSidebarCollapseButton").click()
        screenshot(page, f"find-provider-page-{width}")
        assert sideways_overflow(page) <= 1
        ours, _ = axe_check(page, f"find-provider-page-{width}")
        assert not ours, "\n".join(ours)
