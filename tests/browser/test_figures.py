"""Issue 18's figures as people see them, at a laptop's 1366 px and a phone's 390 px: the headline
changes, the fees charts (one per unit, each inside the window) and the profile's flags in words.
Screenshots go to test-output/screenshots/figures-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.streamlit_page import SCREENSHOTS, settle, sideways_overflow

WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
FEE_PANELS = ("Care homes, per week", "Home care, per hour")


def _section(page: Page, heading: str, name: str) -> None:
    """Photograph from a heading to the next heading of the same level."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box = page.evaluate("""(text) => {
        const hs = [...document.querySelectorAll('h1, h2, h3')];
        const i = hs.findIndex(h => h.textContent.trim().startsWith(text));
        const top = hs[i].getBoundingClientRect().top + window.scrollY;
        const next = hs.slice(i + 1).find(h => h.tagName <= hs[i].tagName);
        const main = document.querySelector('[data-testid="stMain"]');
        const bottom = next ? next.getBoundingClientRect().top + window.scrollY : top + Math.min(2400, main.scrollHeight - top);
        return {top: top + main.scrollTop, height: bottom - top};
    }""", heading)
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": int(box["top"] + box["height"]) + 40})
    page.wait_for_timeout(400)
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"),
                    clip={"x": 0, "y": max(0, box["top"] - 8), "width": viewport["width"], "height": box["height"] + 16})
    page.set_viewport_size(viewport)


@pytest.mark.parametrize("width", WIDTHS)
def test_fee_charts_one_per_unit_fit_the_window(browser: Browser, app_url: str, width: str) -> None:
    context = browser.new_context(viewport=WIDTHS[width], base_url=app_url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto("/")
        settle(page)
        # the headline: no arrow says up for a fall
        deltas = page.locator('[data-testid="stMetricDelta"]')
        for i in range(deltas.count()):
            delta = deltas.nth(i)
            text = delta.inner_text()
            arrow = delta.locator("svg").count()
            if text.startswith("No change"):
                assert arrow == 0, text
        _section(page, "Headline figures", f"figures-headline-{width}")
        charts = []
        for title in FEE_PANELS:
            heading = page.get_by_role("heading", name=title)
            heading.scroll_into_view_if_needed()
            chart = page.locator(f'xpath=//h3[starts-with(normalize-space(.), "{title}")]'
                                 '/following::*[@data-testid="stVegaLiteChart"][1]')
            chart.wait_for(state="visible")
            charts.append(chart.bounding_box())
        for box in charts:
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width]["width"] + 1, box
        _section(page, "What does the council pay", f"figures-fees-{width}")
        assert sideways_overflow(page) <= 1
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_profile_flags_read_in_words(browser: Browser, app_url: str, width: str, red_location) -> None:
    context = browser.new_context(viewport=WIDTHS[width], base_url=app_url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(f"/profile?location={red_location[0]}")
        settle(page)
        first = page.locator('xpath=//h2[starts-with(normalize-space(.), "Why is it at risk?")]'
                             '/following::*[@data-testid="stExpander"][1]//summary')
        first.click()
        page.locator('xpath=//h2[starts-with(normalize-space(.), "Why is it at risk?")]'
                     '/following::*[@data-testid="stDataFrame"][1]').wait_for(state="visible")
        page.wait_for_timeout(500)
        _section(page, "Why is it at risk?", f"figures-profile-flags-{width}")
        body = page.locator('[data-testid="stMain"]').inner_text()
        flags = body.split("Why is it at risk?")[1].split("How has CQC rated it")[0]
        assert "_" not in re.sub(r"keyboard_arrow_\w+", "", flags)  # Streamlit's icon names aside
        _section(page, "What does the council pay", f"figures-profile-fees-{width}")
    finally:
        context.close()
