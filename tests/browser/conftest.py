"""Browser tests: Debian's chromium, driven by Playwright, against `streamlit run` on 127.0.0.1.

One demo warehouse (the `demo` and `score` commands, as a council would run them) and one Streamlit
server for the whole session; each test gets its own browser context (fresh cookies and session).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from market_oversight import store
from market_oversight.paths import PROJECT_ROOT
from tests.browser.streamlit_page import OUTPUT
from tests.demo_cache import copy_warehouse, suite_demo

DESKTOP = {"width": 1280, "height": 720}



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), MARKET_OVERSIGHT_DEMO="1")
    env.pop("MARKET_OVERSIGHT_CONFIG", None)
    return env


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local demo (fictional Kingsmere), scored three weeks apart (so some are "new this
    week"), with a stored backtest (the reliability page): a copy of the suite's cached one, which
    the browser sessions may write to."""
    cached = suite_demo()
    return copy_warehouse(cached, tmp_path_factory.mktemp("browser") / "demo.duckdb")


@pytest.fixture(scope="session")
def red_location(demo_db: Path) -> tuple[str, str]:
    """(location id, name) of the highest-risk red service in the demo, for deep links."""
    with store.warehouse(demo_db, read_only=True) as con:
        row = con.execute(
            "select r.location_id, l.location_name from mart.risk_current r "
            "join mart.locations l using (location_id) where r.rag = 'red' "
            "order by r.likelihood * r.impact desc, r.location_id limit 1"
        ).fetchone()
    assert row, "the demo warehouse has no red service to open"
    return row[0], row[1]


@pytest.fixture(scope="session")
def red_provider(demo_db: Path, red_location: tuple[str, str]) -> str:
    """The CQC provider ID of the company that runs `red_location`, for its company page."""
    with store.warehouse(demo_db, read_only=True) as con:
        return con.execute("select provider_id from mart.register where location_id = $id",
                           {"id": red_location[0]}).fetchall()[0][0]


@contextmanager
def serve_app(db: Path, env: dict[str, str], log_name: str = "streamlit.log") -> Iterator[str]:
    """`streamlit run app.py` on warehouse `db` on a free port of 127.0.0.1; yields its URL, and
    fails the test if the app logged a traceback."""
    port = _free_port()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = OUTPUT / log_name
    env = dict(env, MARKET_OVERSIGHT_DB=str(db))
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert "Traceback" not in log.read_text(), f"the app logged a traceback:\n{log.read_text()[-3000:]}"


@pytest.fixture(scope="session")
def app_url(demo_db: Path, browser_env: dict[str, str]) -> Iterator[str]:
    """The app on the session's demo warehouse, stopped at the end of the session."""
    with serve_app(demo_db, browser_env) as url:
        yield url


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, base_url=app_url)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


BRAND_ID = "BD4242"
BRAND_NAME = "Hollowmere Care Group"


@pytest.fixture(scope="session")
def branded_db(tmp_path_factory: pytest.TempPathFactory, red_provider: str) -> Path:
    """A copy of the demo whose red location's provider, and one location of another provider,
    belong to a CQC brand (the demo's own CQC records carry none): for the brand page."""
    cached = suite_demo()
    db = copy_warehouse(cached, tmp_path_factory.mktemp("branded") / "demo.duckdb")
    with store.warehouse(db) as con:  # publishes a new serving copy on leaving
        other = con.execute("select location_id from cqc_locations where provider_id <> $p "
                            "order by location_id limit 1", {"p": red_provider}).fetchall()[0][0]
        con.execute("update cqc_locations set brand_id = $b, brand_name = $n where provider_id = $p or location_id = $l",
                    {"b": BRAND_ID, "n": BRAND_NAME, "p": red_provider, "l": other})
    return db


@pytest.fixture(scope="session")
def branded_url(branded_db: Path, browser_env: dict[str, str]) -> Iterator[str]:
    """The app on the branded copy of the demo, stopped at the end of the session."""
    with serve_app(branded_db, browser_env, "streamlit-branded.log") as url:
        yield url
