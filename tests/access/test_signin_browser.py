"""Sign-in end to end: chromium, `streamlit run` and a real OpenID Connect provider, all on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from market_oversight import audit, store
from market_oversight.paths import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MANAGER = {"email": "casey@council.example", "name": "Casey Manager"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock's Flask app served by werkzeug on 127.0.0.1, with one predefined user."""
    import oidc_provider_mock
    import werkzeug.serving

    app = oidc_provider_mock.app(user_claims=[oidc_provider_mock.User(sub="casey", claims=MANAGER)])
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text(encoding='utf-8')}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {seconds} s")


@pytest.fixture(scope="module")
def app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("signin")
    db = home / "warehouse.duckdb"
    with store.warehouse(db):
        pass
    port = _free_port()
    (home / ".streamlit").mkdir()
    (home / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length-0123456789"\n'
        'client_id = "market-oversight"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    config = home / "council.toml"
    config.write_text(f'[access]\ncontract_managers = ["{MANAGER["email"]}"]\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MARKET_OVERSIGHT_DEMO"}
    env |= {"MARKET_OVERSIGHT_DB": str(db), "MARKET_OVERSIGHT_CONFIG": str(config),
            "PYTHONPATH": str(PROJECT_ROOT)}
    log = (home / "streamlit.log").open("w")  # a file, not a pipe nobody reads (it would fill and block)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none",  # the project's .streamlit/config.toml is not read from here
         "--browser.gatherUsageStats", "false"],
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/_stcore/health", proc, home / "streamlit.log")
        yield f"http://127.0.0.1:{port}", db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_sign_in_and_out_through_the_identity_provider(app: tuple[str, Path], browser) -> None:
    from playwright.sync_api import expect

    url, db = app
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url)
        # Not signed in: the sign-in page only.
        sign_in = page.get_by_role("button", name="Sign in with your council account")
        expect(sign_in).to_be_visible(timeout=90_000)
        expect(page.get_by_role("heading", name="How is the care market doing?")).to_have_count(0)
        sign_in.click()
        # The provider's consent form: choose the predefined user.
        page.get_by_role("button", name="casey").click()
        expect(page.get_by_role("heading", name="How is the care market doing?")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Signed in as Casey Manager (casey@council.example), "
                                "contract manager")).to_be_visible()
        page.reload()  # the same identity token: no second sign-in row
        expect(page.get_by_role("heading", name="How is the care market doing?")).to_be_visible(timeout=90_000)

        page.get_by_role("button", name="Sign out").click()
        end = page.get_by_role("button", name="End session")  # the provider's logout form
        end.click(timeout=90_000)
        expect(page.get_by_role("button", name="Sign in with your council account")).to_be_visible(
            timeout=90_000)
    finally:
        context.close()
    rows = [(r[2], r[3]) for r in reversed(audit.recent(db))]
    assert rows == [(MANAGER["email"], "sign_in"), (MANAGER["email"], "sign_out")]
    assert audit.verify_chain(db).intact
