"""The pictures in docs/app.md: each page of the app at a laptop's 1366 x 768, as first seen (the
top of the page), taken from the demo (with a brand given to one provider, for the brand page) and
saved to docs/img/<page>.png (with MARKET_OVERSIGHT_DOCS_IMG=1: `make docs-img`), reduced to a palette so the files stay small. tests/test_docs_app.py
checks that docs/app.md shows one for every page app.py routes."""

from __future__ import annotations

import os

import pytest
from PIL import Image
from playwright.sync_api import Browser

from market_oversight.paths import PROJECT_ROOT
from tests.browser.conftest import BRAND_ID
from tests.browser.streamlit_page import OUTPUT, WIDTHS, charts_drawn, open_page, page_at

# The pictures go to docs/img/ when asked (`make docs-img`); otherwise a test run takes them into
# test-output/ (checking that every page draws), so it never leaves the checkout changed.
DOCS_IMG = (PROJECT_ROOT / "docs" / "img" if os.environ.get("MARKET_OVERSIGHT_DOCS_IMG") == "1"
            else OUTPUT / "docs-img")


def _shots(red_location: str, red_provider: str) -> dict[str, tuple[str, str | None]]:
    """Each picture: its name (a page's file name in market_oversight/pages/, or the part of a page
    it shows) -> the address that shows it filled in, and the heading to scroll to (None: the top)."""
    return {"overview": ("/", None),
            "overview_map": ("/", "Where are the services, and which are at risk?"),
            "watchlist": ("/watchlist", None), "profile": (f"/profile?location={red_location}", None),
            "provider": (f"/provider?provider={red_provider}", None), "brand": (f"/brand?brand={BRAND_ID}", None),
            "rehearsal": (f"/rehearse?scope=provider&id={red_provider}", None),
            "chasing": ("/returns-to-chase", None), "casework": ("/casework", None),
            "reliability": ("/reliability", None), "data_quality": ("/data-quality", None),
            "uploads": ("/uploads", None), "email_preview": ("/email-preview", None),
            "accessibility": ("/accessibility", None)}


@pytest.mark.slow
def test_every_page_is_photographed_for_the_docs(browser: Browser, branded_url: str, red_location,
                                                 red_provider: str) -> None:
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    with page_at(browser, branded_url, WIDTHS["laptop-1366"]) as page:
        for name, (path, heading) in _shots(red_location[0], red_provider).items():
            open_page(page, path)
            if name == "email_preview":  # the message is built after the form is drawn
                page.locator('[data-testid="stMain"] h3').first.wait_for(state="visible", timeout=60_000)
            if heading:
                page.get_by_role("heading", name=heading).evaluate("e => e.scrollIntoView({block: 'start'})")
            charts_drawn(page)
            target = DOCS_IMG / f"{name}.png"
            page.screenshot(path=str(target))
            with Image.open(target) as shot:
                small = shot.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            small.save(target, optimize=True)
            with Image.open(target) as saved:
                assert saved.size == (1366, 768), (name, saved.size)
            assert target.stat().st_size < 250_000, (name, target.stat().st_size)
