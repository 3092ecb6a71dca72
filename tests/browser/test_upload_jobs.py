"""An upload loads in a process of its own: the page follows it with a progress bar, a second
upload waits for the first with a message saying so, and both end with their batch summary."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from market_oversight import store, upload_ingest
from tests.browser.streamlit_page import WIDTHS, page_at, screenshot, settle
from tests.browser.test_journeys import RETURNS_HEADER

ROW = "{},2026-10,30,27,2,Yes,4,25,1,3400.5,90.0,100.0,150.0,2,0,0,0,0,10,2,15,10/11/2026 09:00"


def _last_care_homes(db: Path, n: int) -> list[str]:
    """Care homes from the end of the list (the journeys load October for the first ones)."""
    with store.warehouse(db, read_only=True) as con:
        rows = con.execute("select location_id from mart.locations where service_kind = 'care_home' "
                           "and is_active order by location_id desc limit $n", {"n": n}).fetchall()
    return [r[0] for r in rows]


def _upload(page: Page, name: str, location_id: str) -> None:
    page.goto("/uploads")
    settle(page)
    page.get_by_text("Monthly returns from providers").click()
    body = f"{RETURNS_HEADER}\n{ROW.format(location_id)}\n".encode()
    page.locator('input[type="file"]').set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": body}])
    page.get_by_role("button", name="Load the file").click()


def _stop_loads(db: Path) -> None:
    """Stop any load this test left running, so that no later test finds the warehouse busy."""
    for path in upload_ingest.jobs_dir(db).glob("*.json"):
        record = json.loads(path.read_text())
        if not record.get("ended"):      # a load the page never saw end: this test's, still running
            with contextlib.suppress(ProcessLookupError):
                os.kill(record["pid"], signal.SIGKILL)


# Installed in a page: notes in window.__waitedFor the file named by the first "Waiting for the load
# of X to finish" the page draws, however briefly it is shown.
NOTE_WAITED_FOR = """() => {
    window.__waitedFor = null;
    const note = () => {
        const m = document.body.innerText.match(/Waiting for the load of (\\S+) to finish/);
        if (m && !window.__waitedFor) window.__waitedFor = m[1];
    };
    new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true});
    note();
}"""


def _page_saying(pages: dict[str, Page], text: str, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, page in pages.items():
            if page.get_by_text(text).count():
                return name
        time.sleep(0.2)
    return None


def test_two_uploads_load_in_turn_in_the_background(browser: Browser, app_url: str, demo_db: Path) -> None:
    first_home, second_home = _last_care_homes(demo_db, 2)
    # Given a scheduled job holding the warehouse (as a nightly load would)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               "con = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(600)",
                               str(demo_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with page_at(browser, app_url, WIDTHS["laptop-1366"]) as laptop, \
                page_at(browser, app_url, WIDTHS["phone-390"]) as phone:
            # When one data officer uploads a file, and another a second file straight after
            _upload(laptop, "returns_first.csv", first_home)
            _upload(phone, "returns_second.csv", second_home)
            # Then each page follows its load with a progress bar, saying what it waits for
            for page in (laptop, phone):
                expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=30_000)
                expect(page.get_by_test_id("stProgress")).to_contain_text(
                    "Waiting for another job (a scheduled load or scoring) to finish", timeout=30_000)
            screenshot(laptop, "upload-job-waiting-laptop-1366")
            screenshot(phone, "upload-job-waiting-phone-390")
            # And when the scheduled job ends, one load goes ahead and the other waits for it by name.
            # The first load of one row can take under a second, so each page notes the message the
            # moment it is drawn rather than the test polling for it (CI once missed it so).
            pages = {"returns_first.csv": laptop, "returns_second.csv": phone}
            for page in pages.values():
                page.evaluate(NOTE_WAITED_FOR)
            holder.kill()
            holder.wait()
            waiting = _page_saying(pages, "Waiting for the load of returns_", timeout=10)
            if waiting is not None:  # caught in the act: photographed for the docs
                screenshot(pages[waiting], f"upload-job-queued-{'laptop-1366' if waiting.endswith('first.csv') else 'phone-390'}")
            # And both load in turn and show their batch summary
            for page in (laptop, phone):
                expect(page.get_by_role("heading", name="What happened to the file?")).to_be_visible(timeout=180_000)
                expect(page.get_by_text("Loaded: 1 row stored, 0 rows set aside.")).to_be_visible()
            waited_for = {name: page.evaluate("() => window.__waitedFor") for name, page in pages.items()}
            said = {name: other for name, other in waited_for.items() if other}
            assert len(said) == 1, f"exactly one page should say which load it waited for: {waited_for}"
            (waiter, other), = said.items()
            assert other != waiter and other in pages, waited_for
            settle(laptop)
            settle(phone)
            screenshot(laptop, "upload-job-done-laptop-1366")
            screenshot(phone, "upload-job-done-phone-390")
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        _stop_loads(demo_db)
