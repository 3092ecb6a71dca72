"""The weekly e-mail end to end: the demo warehouse, the CLI, and a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import json
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import duckdb
import pytest

from market_oversight import store
from market_oversight.alerts.changes import IsoWeek, week_changes
from market_oversight.cli import main
from tests.alerts.conftest import BASE_URL, HOME_CARE, QA, free_port, write_config

WEEK = "2026-W44"          # a CQC report, locations entering amber, new flags
NASTY = 'Rose & Crown <Care> "Home" \'Annexe\''
NASTY_PROVIDER = "Smith & Sons <Holdings> \"Ltd\""


def _parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def _run(db: Path, config: Path, *extra: str) -> int:
    return main(["alerts", "--db", str(db), "--config", str(config), "--week", WEEK, *extra])


def _log(db: Path) -> list[tuple[str, str, int]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select iso_week, recipient, items from alert_send_log order by recipient").fetchall()
    finally:
        con.close()


def _expected(db: Path, week: str):
    with store.warehouse(db, publish=False) as con:
        return week_changes(con, IsoWeek.parse(week)).items


def test_sends_once_with_both_parts_chart_and_links(demo_db: Path, smtp_server, config_file: Path) -> None:
    inbox, _ = smtp_server
    items = _expected(demo_db, WEEK)
    home_care = [i for i in items if i.service_kind == "home_care"]
    assert items and home_care and len(home_care) < len(items)

    assert _run(demo_db, config_file) == 0

    assert sorted(rcpt[0] for _, rcpt, _ in inbox.messages) == [HOME_CARE, QA]
    by_rcpt = {rcpt[0]: _parse(raw) for _, rcpt, raw in inbox.messages}
    for recipient, mine in ((QA, items), (HOME_CARE, home_care)):
        msg = by_rcpt[recipient]
        assert msg["To"] == recipient and msg["From"] == "oversight@council.example"
        assert msg["Subject"].startswith(f"Care market: week {WEEK} - ")
        assert msg.get_content_type() == "multipart/alternative"
        text = msg.get_body(preferencelist=("plain",)).get_content()
        html_part = msg.get_body(preferencelist=("html",))
        html = html_part.get_content()
        assert text.startswith(f"Care market, week {WEEK}")
        assert "WHERE THE MARKET STANDS" in text and html.index("Where the market stands") < html.index(
            "Review this week") < html.index("Open its profile")
        # one link to the provider's page per item, in both parts, and nothing for other locations
        links = set(re.findall(r'href="(https://oversight[^"]+)"', html))
        expected = {f"{BASE_URL}/profile?location={i.location_id}" for i in mine}
        assert links == expected
        assert {u for u in re.findall(r"Open its profile in Care Market Oversight: (\S+)", text)} == expected
        # the chart: an inline PNG referenced by its Content-ID
        images = [p for p in msg.walk() if p.get_content_maintype() == "image"]
        assert len(images) == 1 and images[0].get_content().startswith(b"\x89PNG\r\n\x1a\n")
        assert f'src="cid:{images[0]["Content-ID"].strip("<>")}"' in html
        assert html_part.get_content_type() == "text/html"
    assert _log(demo_db) == sorted([(WEEK, QA, len(items)), (WEEK, HOME_CARE, len(home_care))],
                                   key=lambda r: r[1])

    # a second run (for example the next day's cron) sends nothing
    assert _run(demo_db, config_file) == 0
    assert len(inbox.messages) == 2


def test_refused_delivery_is_retried_next_run(demo_db: Path, smtp_server, config_file: Path, capsys) -> None:
    inbox, _ = smtp_server
    inbox.refuse = {QA}
    assert _run(demo_db, config_file) == 2
    assert "not delivered" in capsys.readouterr().err
    assert [rcpt for _, rcpt, _ in inbox.messages] == [[HOME_CARE]]
    assert [r[1] for r in _log(demo_db)] == [HOME_CARE]       # the refused one is not marked sent

    inbox.refuse = set()
    assert _run(demo_db, config_file) == 0
    assert [rcpt for _, rcpt, _ in inbox.messages] == [[HOME_CARE], [QA]]   # only the missing one
    assert sorted(r[1] for r in _log(demo_db)) == [HOME_CARE, QA]


def test_a_dropped_connection_fails_one_recipient_and_the_next_gets_a_new_one(
        demo_db: Path, smtp_server, config_file: Path, capsys) -> None:
    inbox, _ = smtp_server
    # given a server that cuts the connection during the first recipient's delivery (the QA team is
    # sent to first)
    first, later = QA, HOME_CARE
    inbox.drop = {first}
    # when the week's e-mail is sent
    assert _run(demo_db, config_file) == 2
    # then the first is reported undelivered and not marked sent, and the next is delivered on a new
    # connection and marked sent
    err = capsys.readouterr().err
    assert "not delivered" in err and first in err and later not in err.split("not delivered")[1], err
    assert [rcpt for _, rcpt, _ in inbox.messages] == [[later]]
    assert [r[1] for r in _log(demo_db)] == [later]
    # and the next run sends only the one that was dropped
    assert _run(demo_db, config_file) == 0
    assert [rcpt for _, rcpt, _ in inbox.messages] == [[later], [first]]
    assert sorted(r[1] for r in _log(demo_db)) == sorted([QA, HOME_CARE])


def test_server_down_marks_nothing(demo_db: Path, tmp_path: Path, smtp_server, capsys) -> None:
    inbox, port = smtp_server
    down = write_config(tmp_path / "down.toml", free_port())   # nothing listens there
    assert _run(demo_db, down) == 2
    assert "not usable" in capsys.readouterr().err
    assert _log(demo_db) == []
    assert _run(demo_db, write_config(tmp_path / "up.toml", port)) == 0
    assert len(inbox.messages) == 2


def test_names_from_the_data_arrive_escaped(demo_db: Path, smtp_server, config_file: Path) -> None:
    inbox, _ = smtp_server
    reported = _expected(demo_db, WEEK)[0]
    with store.warehouse(demo_db, publish=False) as con:
        con.execute("update cqc_locations set location_name = $n where location_id = $id",
                    {"n": NASTY, "id": reported.location_id})
        con.execute("update cqc_providers set provider_name = $n where provider_id = "
                    "(select provider_id from cqc_locations where location_id = $id)",
                    {"n": NASTY_PROVIDER, "id": reported.location_id})
    assert _run(demo_db, config_file) == 0
    msg = next(_parse(raw) for _, rcpt, raw in inbox.messages if rcpt == [QA])
    html = msg.get_body(preferencelist=("html",)).get_content()
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert NASTY not in html and "<Care>" not in html and "<Holdings>" not in html
    assert "Rose &amp; Crown &lt;Care&gt; &quot;Home&quot; &#x27;Annexe&#x27;" in html
    assert "Smith &amp; Sons &lt;Holdings&gt; &quot;Ltd&quot;" in html
    assert NASTY in text and NASTY_PROVIDER in text    # plain text carries the name as it is


def test_a_reason_someone_typed_arrives_as_typed(demo_db: Path, smtp_server, config_file: Path) -> None:
    from datetime import date

    from market_oversight import casework, roles

    inbox, _ = smtp_server
    # given a suspension imposed in the week, its reason typed with Markdown and HTML in it
    reason = ('See [x](http://evil.example/) ![](http://127.0.0.1:9/pixel.png) '
              '<img src="http://127.0.0.1:9/tag.png"> <a href="http://evil.example/">here</a>')
    location_id = _expected(demo_db, WEEK)[0].location_id
    manager = roles.User("cm@kingsmere.example", "Contract manager", roles.Role.CONTRACT_MANAGER)
    casework.suspend_placements(demo_db, manager, location_id, date(2026, 10, 28), reason)
    # when the week's e-mail is sent
    assert _run(demo_db, config_file) == 0
    msg = next(_parse(raw) for _, rcpt, raw in inbox.messages if rcpt == [QA])
    html = msg.get_body(preferencelist=("html",)).get_content()
    text = msg.get_body(preferencelist=("plain",)).get_content()
    # then the HTML shows it as text: no image of its own, no link to anywhere it names
    assert f"Reason: {reason}" in text
    assert "&lt;img src=&quot;http://127.0.0.1:9/tag.png&quot;&gt;" in html
    assert "127.0.0.1:9" not in "".join(re.findall(r"<img[^>]*>", html))
    assert not re.search(r"href=\"http://evil", html)


def test_week_without_changes_sends_the_standing_position_or_nothing(demo_db: Path, tmp_path: Path, smtp_server) -> None:
    inbox, port = smtp_server
    quiet = "2026-W47"     # 16-22 Nov 2026, after the demo's data ends: nothing can change in it
    assert _expected(demo_db, quiet) == ()
    silent = write_config(tmp_path / "silent.toml", port, send_all_clear=False)
    assert main(["alerts", "--db", str(demo_db), "--config", str(silent), "--week", quiet]) == 0
    assert inbox.messages == [] and _log(demo_db) == []

    chatty = write_config(tmp_path / "chatty.toml", port)
    assert main(["alerts", "--db", str(demo_db), "--config", str(chatty), "--week", quiet]) == 0
    msgs = [_parse(raw) for _, _, raw in inbox.messages]
    assert len(msgs) == 2
    for msg in msgs:
        assert msg["Subject"].startswith(f"Care market: week {quiet} - no new concerns; ")
        assert "No new concerns this week" in msg.get_body(preferencelist=("html",)).get_content()
    assert {r[2] for r in _log(demo_db)} == {0}


def test_dry_run_writes_eml_and_sends_nothing(demo_db: Path, tmp_path: Path, smtp_server,
                                              config_file: Path, capsys) -> None:
    inbox, _ = smtp_server
    outbox = tmp_path / "outbox"
    assert _run(demo_db, config_file, "--dry-run", "--outbox", str(outbox), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    emls = sorted(outbox.glob("*.eml"))
    assert sorted(report["written"]) == [str(p) for p in emls] and report["sent"] == []
    assert [p.name for p in emls] == [f"{WEEK}_{HOME_CARE}.eml", f"{WEEK}_{QA}.eml"]
    assert _parse(emls[1].read_bytes())["To"] == QA
    preview = (outbox / f"{WEEK}_{QA}.html").read_text(encoding="utf-8")
    assert f'src="{WEEK}_{QA}.png"' in preview and (outbox / f"{WEEK}_{QA}.png").is_file()
    assert inbox.messages == [] and _log(demo_db) == []


def test_dry_run_needs_an_outbox(demo_db: Path, config_file: Path, capsys) -> None:
    assert _run(demo_db, config_file, "--dry-run") == 2
    assert "--outbox" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_uses_the_password_from_the_environment(demo_db: Path, tmp_path: Path, monkeypatch) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.alerts.conftest import Inbox

    logins: list[tuple[str, str]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret from env")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    try:
        config = write_config(tmp_path / "auth.toml", controller.port)
        config.write_text(config.read_text().replace('timeout_seconds = 5', 'timeout_seconds = 5\nusername = "robot"'))
        monkeypatch.setenv("MARKET_OVERSIGHT_SMTP_PASSWORD", "wrong")
        assert _run(demo_db, config) == 2 and inbox.messages == [] and _log(demo_db) == []
        monkeypatch.setenv("MARKET_OVERSIGHT_SMTP_PASSWORD", "s3cret from env")
        assert _run(demo_db, config) == 0
    finally:
        controller.stop()
    assert logins == [("robot", "wrong"), ("robot", "s3cret from env")]
    assert len(inbox.messages) == 2


def test_starttls_then_login(demo_db: Path, tmp_path: Path, monkeypatch) -> None:
    """STARTTLS with certificate checking (a self-signed certificate the client is told to trust),
    then AUTH over the encrypted session."""
    import ssl
    import subprocess

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.alerts.conftest import Inbox

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=server_tls,
                            require_starttls=True, auth_required=True,
                            authenticator=lambda *a: AuthResult(success=a[4].password == b"pw"))
    controller.start()
    try:
        config = write_config(tmp_path / "tls.toml", controller.port)
        config.write_text(config.read_text().replace(
            "timeout_seconds = 5", 'timeout_seconds = 5\nstarttls = true\nusername = "robot"'))
        monkeypatch.setenv("MARKET_OVERSIGHT_SMTP_PASSWORD", "pw")
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nothing-trusted.pem"))
        assert _run(demo_db, config) == 2            # an untrusted certificate is refused
        assert inbox.messages == [] and _log(demo_db) == []
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        assert _run(demo_db, config) == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 2
