"""axe-core (WCAG 2.2 A and AA) on every page of the local demo, as a browser draws it."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Page

from tests.browser.streamlit_page import axe_check, open_page


def navigation_paths(page: Page) -> list[str]:
    """The url path of every page in the app's navigation, in order."""
    links = page.locator('[data-testid="stSidebarNav"] a[href]')
    links.first.wait_for()
    return [urlparse(href).path for href in links.evaluate_all("els => els.map(e => e.href)")]


def test_every_page_has_no_serious_or_critical_violation_of_ours(page: Page, red_location, red_provider) -> None:
    # Given every page the navigation offers, and a provider's profile and company page opened by deep links
    open_page(page, "/")
    paths = navigation_paths(page)
    assert "/accessibility" in paths
    pages = [(path.strip("/") or "home", path) for path in paths]
    if "/profile" in paths:
        pages.append(("profile-deep-link", f"/profile?location={red_location[0]}"))
    if "/provider" in paths:
        pages.append(("provider-deep-link", f"/provider?provider={red_provider}"))
    ours, streamlits = {}, {}
    for name, path in pages:
        # When each is drawn at 1280x720 and checked
        open_page(page, path)
        ours[name], streamlits[name] = axe_check(page, name)
    # Then nothing of ours is serious or critical (Streamlit's own known issues are reported aside)
    found = "\n".join(f"[{name}] {line}" for name, lines in ours.items() for line in lines)
    assert not found, f"axe-core found serious or critical violations:\n{found}"
