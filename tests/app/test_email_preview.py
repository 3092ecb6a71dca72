"""The weekly e-mail preview page: an administrator sees what a recipient would get and can send a
test copy to themselves (a real SMTP server on 127.0.0.1); nothing counts as that week's sending."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import duckdb
import pytest
import streamlit as st

from market_oversight import audit, roles
from market_oversight.alerts import preview
from market_oversight.alerts.config import alert_settings
from market_oversight.config import load_settings
from market_oversight.errors import AlertError, PermissionDenied
from market_oversight.pages.common import DEMO_USER
from tests.alerts.conftest import QA, smtp_server, write_config  # noqa: F401 (smtp_server: the fixture)
from tests.app.conftest import assert_clean, open_page, texts
from tests.conftest import signed_in

PAGE = "email_preview.py"


@pytest.fixture
def council(app_env: Path, smtp_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = write_config(tmp_path / "council.toml", smtp_server[1])
    monkeypatch.setenv("MARKET_OVERSIGHT_CONFIG", str(config))
    st.cache_resource.clear()  # the app reads its settings once per process
    yield app_env, smtp_server[0], config
    st.cache_resource.clear()


def sends_logged(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select count(*) from alert_send_log").fetchone()[0]


@pytest.mark.slow
def test_an_administrator_previews_a_week_and_sends_a_test_to_themselves(council) -> None:
    db, inbox, _ = council
    at = open_page(PAGE)
    assert_clean(at)
    # the QA team's e-mail of the newest complete week, as the job builds it: subject and plain text
    week = at.selectbox(key="preview-week").value
    subject = at.subheader[0].value
    assert str(week) in subject
    plain = at.text[0].value
    assert "WHERE THE MARKET STANDS" in plain and QA not in plain
    assert at.selectbox(key="preview-recipient").value == QA
    # when the administrator sends a test, it goes to them alone, marked as a test, and is audited
    at.button(key="preview-send-test").click().run()
    assert_clean(at)
    assert [m[1] for m in inbox.messages] == [[DEMO_USER.email]]
    sent = message_from_bytes(inbox.messages[0][2], policy=policy.default)
    assert sent["To"] == DEMO_USER.email and sent["Subject"].startswith(f"[Test, as sent to {QA}] ")
    assert f"A test copy went to {DEMO_USER.email}" in texts(at)
    assert [r[3] for r in audit.recent(db, 1)] == [preview.TEST_SENT]
    # and nothing counts as that week's e-mail: the weekly job will still send it
    assert sends_logged(db) == 0


def test_a_viewer_sees_no_preview(council, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARKET_OVERSIGHT_DEMO")
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    at = signed_in(AppTest.from_file(APP, default_timeout=60))
    at.run()
    at.switch_page(f"market_oversight/pages/{PAGE}").run()
    assert "cannot preview the weekly e-mail" in texts(at)
    assert not at.subheader and [b.label for b in at.button] == ["Sign out"]


@pytest.mark.slow
def test_previews_only_for_recipients_and_tests_only_by_administrators(council) -> None:
    db, inbox, config = council
    settings = alert_settings(load_settings(config))
    week = preview.recent_weeks(preview.date(2026, 11, 2))[0]
    with pytest.raises(AlertError, match="not a recipient of the weekly e-mail"):
        preview.preview(db, week, settings, "someone@elsewhere.example")
    shown = preview.preview(db, week, settings, QA)
    assert str(week) == "2026-W44" and shown.message["To"] == QA
    # the HTML carries its chart inline, so it shows in a browser as in a mail client
    assert "cid:" not in shown.html and ("data:image/png;base64," in shown.html or "<img" not in shown.html)
    viewer = roles.User("v@council.example", "Viewer", roles.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        preview.send_test(db, shown, settings, viewer)
    assert inbox.messages == []
