"""Failure rehearsal in the browser (issue 21): open a red home's profile, rehearse its failure,
download the contingency pack and read it back; at laptop and phone widths the page fits the
window and axe-core finds nothing of ours (screenshots in test-output/screenshots/rehearsal-*.png)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from market_oversight.rehearsal.pack import SECTIONS
from tests.browser.streamlit_page import WIDTHS, axe_check, page_at, screenshot, settle, sideways_overflow


@pytest.mark.parametrize("width", WIDTHS)
def test_rehearse_a_red_homes_failure_and_download_the_pack(browser: Browser, app_url: str, width: str,
                                                            red_location: tuple[str, str], tmp_path) -> None:
    location_id, name = red_location
    with page_at(browser, app_url, WIDTHS[width]) as page:
        page.goto(f"/profile?location={location_id}")
        settle(page)
        page.get_by_role("link", name="Rehearse failure: who would need care elsewhere if it stopped").click()
        settle(page)
        expect(page.get_by_role("heading", name="What if a provider stopped tomorrow?")).to_be_visible()
        # the page reruns with the ID in its address before the rehearsal is drawn: wait for it
        expect(page.get_by_role("heading", name=f"Failure rehearsal: location {name} ({location_id})")
               ).to_be_visible(timeout=30_000)
        settle(page)
        # the summary is written as typed: invisible word joiners keep its names from being linked
        assert f"If {name} stopped tomorrow:" in page.locator("main").inner_text().replace("\u2060", "")
        for question in ("Who is affected?", "Where could they go?", "Who must be told?"):
            # waited for: on a busy machine the browser draws the later sections a moment after
            # the page reports its script done (CI once counted 0 of the third)
            expect(page.get_by_role("heading", name=question)).to_have_count(1)
        assert "scope=location" in page.url and f"id={location_id}" in page.url
        screenshot(page, f"rehearsal-{width}")
        assert sideways_overflow(page) <= 1
        ours, _streamlits = axe_check(page, f"rehearsal-{width}")
        assert not ours, "\n".join(ours)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the contingency pack (XLSX)").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    assert saved.name.startswith(f"contingency-pack-location-{location_id}-")
    book = load_workbook(saved, read_only=True)
    assert book.sheetnames == list(SECTIONS)
    assert next(book["Summary"].iter_rows(min_row=1, max_row=1, values_only=True))[0] == \
        f"Failure rehearsal: location {name} ({location_id})"
