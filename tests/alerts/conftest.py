"""Alerts fixtures: the local demo warehouse (scored at six month ends, copied per test),
a real SMTP server (aiosmtpd) on 127.0.0.1, and a council configuration file pointing at it."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.demo_cache import MONTH_ENDS, copy_warehouse, suite_demo

QA = "qa-team@council.example"
HOME_CARE = "home-care@council.example"
BASE_URL = "https://oversight.council.example"
SCORE_DATES = [date.fromisoformat(d) for d in MONTH_ENDS]


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kingsmere (seed 1), scored at each month end from May to October 2026: read it, copy it to write."""
    cached = suite_demo()
    return copy_warehouse(cached, tmp_path_factory.mktemp("alerts_demo") / "warehouse.duckdb")


@pytest.fixture
def demo_db(demo_source: Path, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse and its casework file, free to change."""
    return copy_warehouse(demo_source, tmp_path / "warehouse.duckdb")


@dataclass
class Inbox:
    """What the SMTP server accepted; addresses in `refuse` get 550 at RCPT TO, and an address in
    `drop` has its connection cut at RCPT TO, once."""
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.drop:
            self.drop.discard(address.lower())
            server.transport.close()
            return "421 4.4.2 Connection dropped"
        if address.lower() in self.refuse:
            return "550 5.2.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def write_config(path: Path, port: int, *, send_all_clear: bool = True) -> Path:
    path.write_text(
        f'[app]\nbase_url = "{BASE_URL}/"\n\n'
        f'[alerts]\nrecipients = ["{QA}"]\nfrom_address = "oversight@council.example"\n'
        f"send_all_clear = {'true' if send_all_clear else 'false'}\n\n"
        f'[[alerts.routes]]\nname = "Home care"\nrecipients = ["{HOME_CARE}"]\nservice_kinds = ["home_care"]\n\n'
        f'[alerts.smtp]\nhost = "127.0.0.1"\nport = {port}\ntimeout_seconds = 5\n',
        encoding="utf-8")
    return path


@pytest.fixture
def config_file(tmp_path: Path, smtp_server) -> Path:
    return write_config(tmp_path / "council.toml", smtp_server[1])
