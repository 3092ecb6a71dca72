"""WCAG 2.1.1 and 2.4.7: the commonest journey with the keyboard only, the focus visible throughout."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.browser.streamlit_page import focus_is_visible, open_page, screenshot, settle, tab_to


def test_watchlist_to_provider_to_note_by_keyboard_alone(page: Page, red_location) -> None:
    location_id, name = red_location
    note = f"Keyboard-only note {time.time_ns()}: manager phoned, agency use falling."
    # Given the watchlist, and no mouse
    open_page(page, "/watchlist")

    # When the user tabs to the location chooser, types part of a name and picks it with Enter
    chooser = page.get_by_role("combobox", name="Open a location's profile")
    tab_to(page, chooser)
    assert focus_is_visible(page), "the location chooser shows no focus"
    page.keyboard.type(name)
    page.get_by_role("option", name=re.compile(re.escape(name))).first.wait_for()
    page.keyboard.press("Enter")
    # And tabs on to "Open profile" and presses Enter
    opener = page.get_by_role("button", name="Open profile")
    tab_to(page, opener, max_presses=5)
    assert focus_is_visible(page), "the Open profile button shows no focus"
    page.keyboard.press("Enter")

    # Then the provider's profile opens
    page.wait_for_url(re.compile(rf"/profile\?location={re.escape(location_id)}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What do we know about {name}?")
    settle(page)

    # When the user tabs to the note box, types the note, tabs to Save and presses Enter
    box = page.get_by_role("textbox", name="Add a note")
    tab_to(page, box)
    assert focus_is_visible(page), "the note box shows no focus"
    page.keyboard.type(note)
    save = page.get_by_role("button", name="Save note")
    tab_to(page, save, max_presses=5)
    assert focus_is_visible(page), "the Save note button shows no focus"
    page.keyboard.press("Enter")

    # Then the note is saved and shown
    expect(page.get_by_text("Note saved.")).to_be_visible()
    expect(page.get_by_test_id("stText").filter(has_text=note)).to_be_visible()
    screenshot(page, "keyboard-journey-note-saved", full_page=False)
