"""The [alerts] configuration and who gets which changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import re

import pytest

from market_oversight.alerts.changes import IsoWeek, Item, Urgency, WeekChanges
from market_oversight.alerts.config import PASSWORD_ENV, alert_settings
from market_oversight.alerts.send import changes_for
from market_oversight.config import load_settings
from market_oversight.errors import ConfigError


def _settings(tmp_path: Path, text: str):
    path = tmp_path / "council.toml"
    path.write_text(text, encoding="utf-8")
    return alert_settings(load_settings(path), demo=True)


def test_defaults_are_usable_by_the_demo() -> None:
    s = alert_settings(load_settings(None), demo=True)
    assert s.recipients and s.send_all_clear and s.base_url == "http://localhost:8501"
    assert s.smtp.password() is None   # no username, no password needed


def test_base_url_required_outside_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given the shipped defaults, which leave [app] base_url unset
    monkeypatch.delenv("MARKET_OVERSIGHT_DEMO", raising=False)
    # then the alerts refuse, saying what to set, unless run as the demo
    with pytest.raises(ConfigError, match=r"\[app\] base_url is not set.*nothing was sent"):
        alert_settings(load_settings(None))
    monkeypatch.setenv("MARKET_OVERSIGHT_DEMO", "1")
    assert alert_settings(load_settings(None)).base_url == "http://localhost:8501"
    # and a council's own base URL wins, without its trailing slash
    path = tmp_path / "council.toml"
    path.write_text('[app]\nbase_url = "https://oversight.council.example/"\n', encoding="utf-8")
    assert alert_settings(load_settings(path), demo=False).base_url == "https://oversight.council.example"


def test_the_command_refuses_without_a_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from market_oversight.cli import main

    monkeypatch.delenv("MARKET_OVERSIGHT_DEMO", raising=False)
    monkeypatch.delenv("MARKET_OVERSIGHT_CONFIG", raising=False)
    path = tmp_path / "council.toml"
    path.write_text('[alerts]\nrecipients = ["qa@council.example"]\n', encoding="utf-8")
    assert main(["alerts", "--db", str(tmp_path / "none.duckdb"), "--config", str(path)]) == 2
    assert "[app] base_url is not set" in capsys.readouterr().err


ROUTES = """
[alerts]
recipients = ["QA@Council.example"]
[[alerts.routes]]
name = "North homes"
recipients = ["north@council.example", "qa@council.example"]
service_kinds = ["care_home"]
local_authorities = ["North Shire"]
[[alerts.routes]]
name = "Home care"
recipients = ["north@council.example", "hc@council.example"]
service_kinds = ["home_care"]
"""


def _item(kind: str, la: str) -> Item:
    return Item("report", Urgency.INFO, f"{kind}-{la}", date(2026, 10, 1), "x",
                service_kind=kind, local_authority=la)


def test_routes_pick_their_changes(tmp_path: Path) -> None:
    s = _settings(tmp_path, ROUTES)
    assert s.everyone() == ("qa@council.example", "north@council.example", "hc@council.example")
    items = tuple(_item(k, la) for k in ("care_home", "home_care", "other")
                  for la in ("North Shire", "South Shire"))
    week = WeekChanges(IsoWeek.parse("2026-W40"), items)
    ids = {r: {i.location_id for i in changes_for(week, s, r).items} for r in s.everyone()}
    assert ids["qa@council.example"] == {i.location_id for i in items}   # QA list: everything
    assert ids["north@council.example"] == {"care_home-North Shire", "home_care-North Shire",
                                            "home_care-South Shire"}
    assert ids["hc@council.example"] == {"home_care-North Shire", "home_care-South Shire"}


@pytest.mark.parametrize("text, words", [
    ('[alerts]\nrecipients = ["not an address"]', "not an e-mail address"),
    ('[alerts]\nrecipients = []\nroutes = []', "recipients is empty"),
    ('[[alerts.routes]]\nrecipients = ["a@b.example"]\nservice_kinds = ["hospital"]', "[alerts.routes[0]] service_kinds item 1: 'hospital' must be one of"),
    ('[[alerts.routes]]\nname = "x"', "[alerts.routes[0]] recipients is missing"),
    ('[app]\nbase_url = "oversight.example"', "base_url"),
    ('[alerts.smtp]\nport = "twenty-five"', "port"),
    ('[alerts]\nmax_items_per_group = 0', "[alerts] max_items_per_group must be at least 1, not 0"),
    ('[alerts]\nmax_items_per_group = "all"', "max_items_per_group"),
])
def test_bad_configuration_is_named(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(words)):
        _settings(tmp_path, text)


def test_password_only_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="must not be in a file"):
        _settings(tmp_path, '[alerts.smtp]\nusername = "robot"\npassword = "in-the-file"')
    s = _settings(tmp_path, '[alerts.smtp]\nusername = "robot"')
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(ConfigError, match=PASSWORD_ENV):
        s.smtp.password()
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert s.smtp.password() == "from-env"


def test_docs_cover_every_option_of_the_command() -> None:
    from market_oversight.cli import build_parser
    from market_oversight.paths import PROJECT_ROOT

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    options = {o for a in sub.choices["alerts"]._actions for o in a.option_strings if o.startswith("--")}
    doc = (PROJECT_ROOT / "docs" / "alerts.md").read_text(encoding="utf-8")
    assert {"--week", "--dry-run", "--outbox", "--config"} <= options
    assert [o for o in sorted(options - {"--help"}) if o not in doc] == []
