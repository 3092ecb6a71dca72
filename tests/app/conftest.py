"""The app's tests run every page through AppTest on the demo warehouse, built once for the suite
with the real demo, score and backtest commands, as `make demo` leaves it (scored twice, three
weeks apart, so "new this week" has an earlier score to compare with; a backtest stored for the
reliability page); each test gets a copy of its own, so what one test writes through the app no
other test sees."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from market_oversight.paths import PROJECT_ROOT
from tests.demo_cache import copy_warehouse, suite_demo

APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    cached = suite_demo()
    return copy_warehouse(cached, tmp_path / "warehouse.duckdb")


@pytest.fixture
def app_env(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MARKET_OVERSIGHT_DB", str(demo_db))
    monkeypatch.setenv("MARKET_OVERSIGHT_DEMO", "1")
    return demo_db


def read(db: Path, query: str, params: dict | None = None) -> list[tuple]:
    """Expected values straight from the newest published copy, independently of the app's code."""
    from market_oversight import store

    with duckdb.connect(str(store.current_serving_copy(db)), read_only=True) as con:
        return con.execute(query, params or {}).fetchall()


def open_page(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"market_oversight/pages/{page}").run()
    return at


def texts(at: AppTest) -> str:
    """Everything written on the page as text (markdown, captions, headings, alerts)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.header]
    parts += [h.value for h in at.subheader] + [t.value for t in at.title]
    parts += [a.value for a in (*at.info, *at.success, *at.warning, *at.error)]
    return "\n".join(parts)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
