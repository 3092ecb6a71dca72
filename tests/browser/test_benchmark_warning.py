"""The data quality page names the fee benchmark missing for the scored year, readable at laptop and
phone widths (screenshots in test-output/screenshots/benchmark-warning-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.streamlit_page import SCREENSHOTS, WIDTHS, page_at, screenshot, settle, sideways_overflow


@pytest.mark.parametrize("width", WIDTHS)
def test_the_missing_benchmark_is_named_on_the_data_quality_page(browser: Browser, app_url: str,
                                                                   width: str) -> None:
    with page_at(browser, app_url, WIDTHS[width]) as page:
        page.goto("/data-quality")
        settle(page)
        page.get_by_role("heading", name="Can fees be judged against their benchmarks?").scroll_into_view_if_needed()
        warning = page.locator('[data-testid="stAlertContentWarning"]', has_text="homecare_association_minimum")
        warning.first.wait_for(state="visible")
        assert "2026/27" in warning.first.inner_text()
        screenshot(page, f"benchmark-warning-{width}")
        warning.first.screenshot(path=str(SCREENSHOTS / f"benchmark-warning-{width}-warning.png"))
        assert sideways_overflow(page) <= 1
