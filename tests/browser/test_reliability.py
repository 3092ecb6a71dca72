"""The reliability page as chromium draws it, on a laptop (1366 px) and a phone (390 px): the chart
fits the width, nothing scrolls sideways, and figures are written as per cent, not as 0.1234.
Screenshots in test-output/screenshots/reliability-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.streamlit_page import WIDTHS, page_at, screenshot, settle, sideways_overflow
UNFORMATTED_SHARE = re.compile(r"(?<![\d.])0\.\d{4,}")  # a share printed raw, such as 0.1234


@pytest.mark.parametrize("width", WIDTHS)
def test_reliability_page_fits_and_writes_per_cent(browser: Browser, app_url: str, width: str) -> None:
    # Given the demo with its stored backtest, at a laptop's or a phone's width
    with page_at(browser, app_url, WIDTHS[width]) as page:
        # When the page opens
        page.goto("/reliability")
        settle(page)
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        expect(chart.locator("canvas, svg").first).to_be_visible()
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        screenshot(page, f"reliability-{width}")
        # Then the heading and the figures are there, as per cent
        expect(page.locator("h1")).to_have_text("How reliable are these flags?")
        main = page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        assert re.search(r"Base rate\s+\d+\.\d%", text), text[:800]
        assert re.search(r"Events caught by red or amber\s+\d+%", text)
        assert not UNFORMATTED_SHARE.search(text), UNFORMATTED_SHARE.findall(text)
        # the chart lies within the page's width, and the page does not scroll sideways
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"]
        drawn = chart.locator("canvas, svg").first.bounding_box()
        assert drawn is not None and drawn["x"] + drawn["width"] <= box["x"] + box["width"] + 1
        overflow = sideways_overflow(page)
        assert overflow <= 1, f"the page scrolls sideways by {overflow} px"
