"""WCAG 1.4.4 and 1.4.10: every page usable at 1280x720, at 200% zoom, at tablet width and at a
phone's 390 px, with no sideways scrolling of the page itself (tables and charts may scroll inside
their own box): the document's and the main area's scroll width against the window's, measured
once the charts have drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.streamlit_page import screenshot, settle, sideways_overflow

PAGES = ["/", "/watchlist", "/returns-to-chase", "/casework", "/reliability", "/data-quality", "/uploads",
         "/email-preview", "/accessibility", "/brand", "/rehearse"]
LAYOUTS = {
    # name: (viewport in CSS pixels, device scale factor)
    "desktop-1280x720": ({"width": 1280, "height": 720}, 1),
    # Browser zoom to 200% halves the CSS pixels available, at twice the device pixels
    "zoom-200": ({"width": 640, "height": 360}, 2),
    "tablet-768x1024": ({"width": 768, "height": 1024}, 1),
    "phone-390x844": ({"width": 390, "height": 844}, 1),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pages_fit_without_sideways_scrolling(browser: Browser, app_url: str, layout: str, red_location,
                                             red_provider) -> None:
    viewport, scale = LAYOUTS[layout]
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, base_url=app_url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    wide = {}
    try:
        for path in [*PAGES, f"/profile?location={red_location[0]}", f"/provider?provider={red_provider}",
                     f"/rehearse?scope=provider&id={red_provider}"]:
            page.goto(path)
            settle(page)
            name = path.strip("/").replace("?", "-").replace("=", "-").replace("&", "-") or "home"
            overflow = sideways_overflow(page)
            screenshot(page, f"layout-{layout}-{name}")
            if overflow > 1:
                wide[name] = overflow
    finally:
        context.close()
    assert not wide, f"pages scroll sideways at {layout} (pixels too wide): {wide}"
