"""Issue 5's journeys in a real browser: casework that survives a reload, an upload with bad rows,
a deep link, and a point on the watchlist chart that opens its provider."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from market_oversight import store
from tests.browser.streamlit_page import open_page, screenshot, settle

RETURNS_HEADER = (
    "location_id,period,beds,occupied_beds,vacant_beds_accepting,accepting_admissions,nurses_employed,"
    "care_workers_employed,agency_staff,hours_paid,agency_hours,overtime_hours,absence_hours,"
    "staff_vacancies,leavers,safeguarding_concerns,complaints,notifiable_incidents,residents_council,"
    "residents_nhs,residents_self_funded,submitted_at"
)


def _care_homes(db: Path, n: int) -> list[str]:
    with store.warehouse(db, read_only=True) as con:
        rows = con.execute("select location_id from mart.locations where service_kind = 'care_home' "
                           "and is_active order by location_id limit $n", {"n": n}).fetchall()
    return [r[0] for r in rows]


def test_note_and_action_added_on_a_profile_are_there_after_a_reload(page: Page, red_location) -> None:
    location_id, name = red_location
    stamp = time.time_ns()
    note, action = f"Journey note {stamp}", f"Ask for the staffing plan {stamp}"
    # Given a provider's profile, reached from the watchlist's chooser
    open_page(page, "/watchlist")
    screenshot(page, "journey-watchlist")
    page.get_by_role("combobox", name="Open a location's profile").click()
    page.keyboard.type(name)  # the list shows only some options until one types (it is virtualised)
    page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
    page.get_by_role("button", name="Open profile").click()
    page.wait_for_url(re.compile(rf"/profile\?location={re.escape(location_id)}"))
    settle(page)
    # When a note and an action are added
    page.get_by_role("textbox", name="Add a note").fill(note)
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    settle(page)  # a tab chosen while the save's rerun is still drawing can be drawn back to Notes
    page.get_by_role("tab", name=re.compile(r"^Actions")).click()
    page.get_by_role("textbox", name="What needs doing").fill(action)
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("Action added.")).to_be_visible()
    # Then both are still there after the page is loaded afresh
    page.reload()
    settle(page)
    expect(page.get_by_test_id("stText").filter(has_text=note)).to_be_visible()
    page.get_by_role("tab", name=re.compile(r"^Actions")).click()
    chooser = page.get_by_role("combobox", name="Update an open action")
    chooser.click()
    page.keyboard.type(action)  # the list of open actions filters as one types
    expect(page.get_by_role("option", name=re.compile(re.escape(action)))).to_be_visible()
    page.keyboard.press("Escape")
    screenshot(page, "journey-profile-casework")


def test_upload_of_returns_with_bad_rows_shows_what_was_set_aside(page: Page, demo_db: Path) -> None:
    # Given October's care-home returns (none are loaded yet) with two good rows and two bad:
    # occupied beds above beds, and "TBC" where a number belongs
    good1, good2, bad1, bad2 = _care_homes(demo_db, 4)
    rows = [
        f"{good1},2026-10,30,27,2,Yes,4,25,1,3400.5,90.0,100.0,150.0,2,0,0,0,0,10,2,15,10/11/2026 09:00",
        f"{good2},2026-10,40,36,3,Yes,5,30,0,4800.0,0.0,120.0,160.0,1,1,0,0,0,12,4,20,10/11/2026 09:05",
        f"{bad1},2026-10,30,45,0,No,4,25,1,3400.5,90.0,100.0,150.0,2,0,0,0,0,10,2,15,10/11/2026 09:10",
        f"{bad2},2026-10,TBC,20,2,Yes,4,25,1,3400.5,90.0,100.0,150.0,2,0,0,0,0,10,2,15,10/11/2026 09:15",
    ]
    body = "\n".join([RETURNS_HEADER, *rows]).encode() + b"\n"
    open_page(page, "/uploads")
    # When a data officer uploads it as monthly returns and loads it
    page.get_by_text("Monthly returns from providers").click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "care_home_returns_2026-10.csv", "mimeType": "text/csv", "buffer": body}])
    page.get_by_role("button", name="Load the file").click()
    # Then the page says two rows were stored and two set aside, and lists the rows to correct
    expect(page.get_by_role("heading", name="What happened to the file?")).to_be_visible(timeout=120_000)
    settle(page)
    expect(page.get_by_text("Loaded: 2 rows stored, 2 rows set aside.")).to_be_visible()
    expect(page.get_by_role("heading", name="Rows set aside, and what to correct")).to_be_visible()
    # (the table's accessible grid: a header row and one row per row set aside, naming the location)
    grid = page.get_by_test_id("stDataFrame").last.locator('table[role="grid"]')
    expect(grid).to_have_attribute("aria-rowcount", "3")
    rows = grid.locator("tbody tr")
    expect(rows.filter(has_text=bad1)).to_have_count(1)
    expect(rows.filter(has_text=bad2)).to_have_count(1)
    screenshot(page, "journey-upload-quarantine")


def test_deep_link_opens_the_providers_profile(page: Page, red_location) -> None:
    location_id, name = red_location
    # When the link an alert e-mail carries is opened
    open_page(page, f"/profile?location={location_id}")
    # Then it is that provider's profile, saying which CQC location it is
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What do we know about {name}?")
    expect(page.get_by_text(f"CQC location ID {location_id}.")).to_be_visible()
    screenshot(page, "journey-deep-link")


def test_clicking_a_point_on_the_watchlist_chart_opens_that_provider(page: Page) -> None:
    open_page(page, "/watchlist")
    # The points are the chart's marks that carry text for screen readers (the rings are hidden)
    point = page.get_by_test_id("stVegaLiteChart").locator(".role-mark path[aria-label]").first
    point.click(force=True)
    page.wait_for_url(re.compile(r"/profile\?location=1-\d+"))
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^What do we know about .+\?$"))
