"""Returns to chase, at laptop and phone widths: the chasing list scrolls inside its own box and the
reminder wraps within the window, the page never scrolls sideways; axe-core finds nothing of ours
(screenshots in test-output/screenshots/returns-to-chase-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.streamlit_page import (SCREENSHOTS, WIDTHS, axe_check, page_at, screenshot, settle,
                                          sideways_overflow)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chasing_list_and_reminder_fit_the_window(browser: Browser, app_url: str, width: str) -> None:
    viewport = WIDTHS[width]
    with page_at(browser, app_url, viewport) as page:
        page.goto("/returns-to-chase")
        settle(page)
        assert page.get_by_role("heading", name="Which returns should we chase?").is_visible()
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(state="visible")
        box = table.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
        reminder = page.locator('[data-testid="stCode"]').first
        reminder.scroll_into_view_if_needed()
        assert "Kind regards," in reminder.inner_text()
        code_box = reminder.bounding_box()
        assert code_box and code_box["x"] + code_box["width"] <= viewport["width"] + 1
        # the reminder wraps: no line of it runs past its box
        assert reminder.evaluate("e => { const p = e.querySelector('pre') || e;"
                                 " return p.scrollWidth <= p.clientWidth + 1; }")
        screenshot(page, f"returns-to-chase-{width}")
        table.screenshot(path=str(SCREENSHOTS / f"returns-to-chase-{width}-table.png"))
        assert sideways_overflow(page) <= 1
        ours, _streamlits = axe_check(page, f"returns-to-chase-{width}")
        assert not ours, "\n".join(ours)
