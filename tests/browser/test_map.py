"""The overview's map in chromium at a laptop's and a phone's width (issue 18, point 6), offline
(every request leaving the app refused): the demo's own outline, named as invented, drawn under the
RAG markers; the page does not scroll sideways and axe-core finds nothing of ours."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from market_oversight import boundaries, fmt
from tests.browser.streamlit_page import (SCREENSHOTS, WIDTHS, axe_check, charts_drawn, open_page, page_at,
                                          sideways_overflow)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_draws_the_outline_under_the_markers_offline(browser: Browser, app_url: str, width: str) -> None:
    with page_at(browser, app_url, WIDTHS[width]) as page:
        # offline: every request that leaves the app is refused
        refused = []
        page.route(lambda url: not url.startswith(app_url),
                   lambda route: (refused.append(route.request.url), route.abort()))
        open_page(page, "/")
        heading = page.get_by_role("heading", name="Where are the services, and which are at risk?")
        heading.scroll_into_view_if_needed()
        charts_drawn(page)
        expect(page.get_by_text(boundaries.DEMO_NOTE)).to_be_visible()
        # the chart that writes the outline's name is the map; its outline is drawn, filled, under the markers
        the_map = page.locator('[data-testid="stVegaLiteChart"]').filter(
            has=page.locator("svg text", has_text="Kingsmere (demo outline, invented)"))
        expect(the_map).to_have_count(1)
        expect(the_map.locator(f'path[fill="{fmt.MAP_AREA_FILL}" i]')).to_have_count(1)
        the_map.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        the_map.screenshot(path=str(SCREENSHOTS / f"map-{width}.png"))
        box = the_map.bounding_box()
        assert box and box["width"] <= WIDTHS[width]["width"]
        assert sideways_overflow(page) <= 1
        ours, _ = axe_check(page, f"map-{width}")
        assert not ours, "\n".join(ours)
