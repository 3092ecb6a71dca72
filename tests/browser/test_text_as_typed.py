"""Text a person typed, in a real browser: a suspension or override reason holding a Markdown link and
a Markdown image of a tracking pixel shows as typed, and the pixel (a real HTTP server on 127.0.0.1
counting requests) is never fetched, at a laptop's width or a phone's."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser

from market_oversight import casework, roles, store
from tests.browser.conftest import serve_app
from tests.browser.streamlit_page import WIDTHS, open_page, page_at, screenshot
from tests.demo_cache import copy_warehouse, suite_demo

MANAGER = roles.User("cm@kingsmere.example", "Contract manager", roles.Role.CONTRACT_MANAGER)
# 1 x 1 transparent PNG
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                      "0000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082")


class PixelServer:
    """An HTTP server on 127.0.0.1 that counts every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PIXEL)))
                self.end_headers()
                self.wfile.write(PIXEL)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PixelServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def pixel() -> Iterator[PixelServer]:
    with PixelServer() as server:
        yield server


def hostile(port: int) -> str:
    return (f"See [x](http://evil.example/) and ![](http://127.0.0.1:{port}/pixel.png) "
            f'<img src="http://127.0.0.1:{port}/tag.png"> www.evil.example or ask@evil.example')


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory, browser_env: dict[str, str],
                pixel: PixelServer) -> Iterator[tuple[str, str]]:
    """The app on a demo warehouse of its own, in which one care home's suspension, override, note,
    action and visit were all typed with the link and the pixel. Yields (app URL, location id)."""
    cached = suite_demo()
    db = copy_warehouse(cached, tmp_path_factory.mktemp("hostile") / "demo.duckdb")
    with store.warehouse(db, read_only=True) as con:
        location_id = con.execute("select location_id from mart.locations where is_active and service_kind "
                                  "= 'care_home' order by location_id limit 1 offset 9").fetchall()[0][0]
    text, today = hostile(pixel.port), date.today()
    casework.suspend_placements(db, MANAGER, location_id, today, text)
    casework.override_rag(db, MANAGER, location_id, "amber", text, today + timedelta(days=30))
    casework.add_note(db, MANAGER, location_id, text)
    casework.add_action(db, MANAGER, location_id, text, "sam@kingsmere.example", today + timedelta(days=7))
    casework.record_visit(db, MANAGER, location_id, today, "Requires improvement", text)
    with serve_app(db, browser_env, "streamlit-text-as-typed.log") as url:
        yield url, location_id


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_reason_with_a_link_and_a_pixel_shows_as_typed_and_fetches_nothing(
        browser: Browser, hostile_app: tuple[str, str], pixel: PixelServer, width: str) -> None:
    url, location_id = hostile_app
    for path in (f"/profile?location={location_id}", "/casework"):
        with page_at(browser, url, WIDTHS[width]) as page:
            open_page(page, path)
            page.wait_for_timeout(1000)  # time for any image to be asked for
            screenshot(page, f"text-as-typed-{path.strip('/').split('?')[0]}-{width}")
            main = page.locator('[data-testid="stMain"]')
            assert page.locator('a[href*="evil"], a[href^="mailto:"]').count() == 0
            assert page.locator(f'img[src*="127.0.0.1:{pixel.port}"]').count() == 0
            if path.startswith("/profile"):
                # the suspension's warning, above the tabs, reads as typed; the other tabs hold it too
                shown, held = (t.replace("\u2060", "") for t in (main.inner_text(), main.text_content()))
                assert hostile(pixel.port) in shown  # (word joiners are invisible)
                assert held.count(hostile(pixel.port)) >= 3
    assert pixel.requests == []
