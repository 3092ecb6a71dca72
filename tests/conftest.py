"""Shared fixtures: real DuckDB files in a temporary folder, and the real CQC samples."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from market_oversight import audit, store
from market_oversight.paths import PROJECT_ROOT

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
CHROMIUM = Path("/usr/bin/chromium")

# Sign-in settings for AppTest: the gate needs an [auth] section before it lets anyone in.
TEST_AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "t" * 48,
             "client_id": "market-oversight", "client_secret": "test",
             "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def query(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """Rows of a statement run on warehouse `db`, opened read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def signed_in(at, email: str = "viewer@council.example", name: str = "Test User", **claims):
    """An AppTest run as a user signed in through the identity provider (roles come from the
    settings' [access] lists, so an unlisted address is a viewer)."""
    at.secrets["auth"] = dict(TEST_AUTH)
    at.user = {"is_logged_in": True, "email": email, "name": name, "iss": "http://127.0.0.1:9",
               "sub": email, "iat": 1_700_000_000, **claims}
    return at


def shown(markdown: str) -> str:
    """The text a reader sees of what a page hands Streamlit's Markdown (CommonMark): escapes and
    the invisible word joiners that keep addresses from being linked taken away."""
    import html
    import re

    from markdown_it import MarkdownIt

    from market_oversight import fmt

    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(fmt.WORD_JOINER, "").strip()


def errors(at) -> list[str]:
    """The page's error messages as a reader sees them (an AppTest)."""
    return [shown(e.value) for e in at.error]


def pytest_configure(config: pytest.Config) -> None:
    """The audit chain's key comes from the environment, as in production, so a warehouse copied
    between tests (without the key file a bare install would make beside it) still verifies.
    Subprocesses (the CLI, streamlit run) inherit it. tests/access/test_audit.py covers the key file."""
    os.environ.setdefault(audit.KEY_ENV, "tests-only-audit-key-" + "0" * 43)
    _scan_installed_components_once()


def _scan_installed_components_once() -> None:
    """Each new AppTest scans the metadata of every installed package for Streamlit components
    (about 0.3 s of CPU, where the page itself renders in 0.2-0.6 s), as a `streamlit run` server does
    once when it starts. The installed packages do not change during a test run, so the scan's
    result is kept for the run: AppTest then costs what the server's sessions cost."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests/browser journeys are marked `browser` (`make test-fast` leaves them out). They run
    on every pytest-xdist worker: each worker that draws one starts its own Streamlit server and
    chromium (session fixtures), which costs a few seconds and keeps both cores busy."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.fail(f"real CQC samples not found at {REALDATA} (expected beside the project root)")
    return REALDATA


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse and casework file with every migration applied and no rows: copy it
    (tests.demo_cache.copy_warehouse) rather than migrating a new file in every test."""
    db = tmp_path_factory.mktemp("empty") / "warehouse.duckdb"
    with store.casework(db):
        pass
    with store.warehouse(db, publish=False):
        pass
    return db


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, one for the whole session (Playwright's sync API
    allows one running instance per thread, so every browser test shares this one and opens a
    context of its own)."""
    from playwright.sync_api import expect, sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: `make browser` installs Debian's chromium")
    expect.set_options(timeout=30_000)  # a save reruns the page; on 2 busy cores that can take seconds
    with sync_playwright() as pw:
        # As a reader who asked for less motion: Streamlit's running and loading animations then
        # stand still, and chromium draws about a quarter less per page on these 2 cores (what the
        # tests check is the same either way; bench/browser_load.py keeps the animations).
        # Without the address bar's suggestion pop-ups: chromium 156 draws them as two hidden web
        # pages of its own for every new browser context, about 0.7 s of CPU a context here, and
        # every test opens at least one context.
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--force-prefers-reduced-motion",
            "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"])
        yield chromium
        chromium.close()
