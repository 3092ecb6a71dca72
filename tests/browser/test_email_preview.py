"""The weekly e-mail preview as chromium draws it, on a laptop (1366 px) and a phone (390 px): the
e-mail's standing position and its red list show inside the page, nothing scrolls sideways.
Screenshots in test-output/screenshots/email-preview-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.streamlit_page import WIDTHS, page_at, screenshot, settle, sideways_overflow


@pytest.mark.parametrize("width", WIDTHS)
def test_email_preview_shows_the_email_as_sent(browser: Browser, app_url: str, width: str) -> None:
    # Given the demo (its administrator signed in), at a laptop's or a phone's width
    with page_at(browser, app_url, WIDTHS[width]) as page:
        # When the preview opens on the newest complete week
        page.goto("/email-preview")
        settle(page)
        expect(page.locator("h1")).to_have_text("Weekly e-mail preview")
        main = page.locator('[data-testid="stMain"]')
        # Then the e-mail itself is there: where the market stands, and the locations red now
        expect(main.get_by_text("Where the market stands", exact=False).first).to_be_visible()
        expect(main.get_by_text("Red now", exact=False).first).to_be_visible()
        expect(page.get_by_role("button", name="Send a test to me")).to_be_visible()
        screenshot(page, f"email-preview-{width}")
        assert sideways_overflow(page) <= 1
