"""The data quality page names the fee benchmark missing for the scored year, readable at laptop and
phone widths (screenshots in test-output/screenshots/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.streamlit_page import SCREENSHOTS, screenshot, settle, sideways_overflow

WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_missing_benchmark_is_named_on_the_data_quality_page(browser: Browser, app_url: str,
                                                                   width: str) -> None:
    context = browser.new_context(viewport=WIDTHS[width], base_url=app_url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto("/data-quality")
        settle(page)
        heading = page.get_by_role("heading", name="Can fees be judged against their benchmarks?")
        heading.scroll_into_view_if_needed()
        warning = page.locator('[data-testid="stAlertContentWarning"]', has_text="homecare_association_minimum")
        warning.first.wait_for(state="visible")
        assert "2026/27" in warning.first.inner_text()
        screenshot(page, f"benchmark-warning-{width}")
        warning.first.screenshot(path=str(SCREENSHOTS / f"benchmark-warning-{width}-warning.png"))
        assert sideways_overflow(page) <= 1
    finally:
        context.close()
