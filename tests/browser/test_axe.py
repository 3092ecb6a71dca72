"""axe-core (WCAG 2.2 A and AA) on every page of the local demo, as a browser draws it: the check runs
in tests/browser/test_layouts.py, which opens each page; this test holds that list of pages to every
page the app's navigation offers, so that a page added to the app is not left unchecked."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Page

from tests.browser.streamlit_page import open_page
from tests.browser.test_layouts import PAGES


def navigation_paths(page: Page) -> list[str]:
    """The url path of every page in the app's navigation, in order."""
    links = page.locator('[data-testid="stSidebarNav"] a[href]')
    links.first.wait_for()
    return [urlparse(href).path for href in links.evaluate_all("els => els.map(e => e.href)")]


def test_every_page_the_navigation_offers_is_checked_with_axe_core(page: Page) -> None:
    # Given every page the navigation offers
    open_page(page, "/")
    paths = navigation_paths(page)
    assert "/accessibility" in paths
    # Then test_layouts opens and checks each (the profile and company pages by deep link)
    checked = {urlparse(path).path for path in PAGES}
    assert set(paths) <= checked, f"pages never checked with axe-core: {sorted(set(paths) - checked)}"
