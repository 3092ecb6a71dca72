"""WCAG 1.4.4 and 1.4.10: every page usable at 1280x720, at 200% zoom, at tablet width and at a
phone's 390 px, with no sideways scrolling of the page itself (tables and charts may scroll inside
their own box): the document's and the main area's scroll width against the window's, measured
once the charts have drawn.

Each page is opened once and the window then set to each size in turn, as a reader who turns a
tablet or zooms in does: Streamlit lays a page out in the browser (its server never learns the
width), and the charts redraw to their new width. Browser zoom to 200% is the window at half the
CSS pixels (640x360); the device scale factor it also doubles changes the pixels drawn, not the
layout, so it is left at 1.

At the first layout, as first drawn, each page is also checked with axe-core (WCAG 2.2 A and AA):
serious or critical violations of ours fail the test (tests/browser/test_axe.py checks that these
pages are every page the navigation offers)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.streamlit_page import axe_check, charts_redrawn, screenshot, settle, sideways_overflow

PAGES = ["/", "/watchlist", "/returns-to-chase", "/casework", "/reliability", "/data-quality", "/uploads",
         "/email-preview", "/accessibility", "/brand", "/rehearse", "/profile?location={location}",
         "/provider?provider={provider}", "/rehearse?scope=provider&id={provider}"]
LAYOUTS = {
    "desktop-1280x720": {"width": 1280, "height": 720},
    "zoom-200": {"width": 640, "height": 360},
    "tablet-768x1024": {"width": 768, "height": 1024},
    "phone-390x844": {"width": 390, "height": 844},
}
# The widths a person reads the pictures at (test-output/screenshots); at the others a page is
# photographed only when it scrolls sideways, as the evidence.
PHOTOGRAPHED = {"desktop-1280x720", "phone-390x844"}


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_every_layout_without_sideways_scrolling(browser: Browser, app_url: str, path: str,
                                                           red_location, red_provider) -> None:
    address = path.format(location=red_location[0], provider=red_provider)
    name = address.strip("/").replace("?", "-").replace("=", "-").replace("&", "-") or "home"
    context = browser.new_context(viewport=LAYOUTS["desktop-1280x720"], base_url=app_url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    wide = {}
    try:
        page.goto(address)
        settle(page)
        ours, _ = axe_check(page, name)
        for layout, viewport in LAYOUTS.items():
            if page.viewport_size != viewport:
                page.set_viewport_size(viewport)
                charts_redrawn(page)
            overflow = sideways_overflow(page)
            if layout in PHOTOGRAPHED or overflow > 1:
                screenshot(page, f"layout-{layout}-{name}")
            if overflow > 1:
                wide[layout] = overflow
    finally:
        context.close()
    assert not ours, f"axe-core found serious or critical violations on {address}:\n" + "\n".join(ours)
    assert not wide, f"{address} scrolls sideways (pixels too wide, by layout): {wide}"
