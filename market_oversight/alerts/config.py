"""The `[alerts]` section of the configuration, read into typed settings and checked once."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from market_oversight.config import Settings
from market_oversight.errors import ConfigError
from market_oversight.vocab import SERVICE_KINDS

PASSWORD_ENV = "MARKET_OVERSIGHT_SMTP_PASSWORD"
_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+$")


@dataclass(frozen=True)
class Route:
    """Recipients who get the changes for some local authorities and/or kinds of service."""
    name: str
    recipients: tuple[str, ...]
    local_authorities: frozenset[str] = frozenset()   # empty: every local authority
    service_kinds: frozenset[str] = frozenset()       # empty: every kind

    def matches(self, local_authority: str | None, service_kind: str | None) -> bool:
        la_ok = not self.local_authorities or (local_authority or "").casefold() in self.local_authorities
        kind_ok = not self.service_kinds or service_kind in self.service_kinds
        return la_ok and kind_ok


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    username: str
    timeout_seconds: float

    def password(self) -> str | None:
        """From the environment only; required when a username is configured."""
        if not self.username:
            return None
        secret = os.environ.get(PASSWORD_ENV)
        if not secret:
            raise ConfigError(f"[alerts.smtp] username is set but ${PASSWORD_ENV} is empty")
        return secret


@dataclass(frozen=True)
class AlertSettings:
    recipients: tuple[str, ...]
    routes: tuple[Route, ...]
    from_address: str
    subject_prefix: str
    send_all_clear: bool
    smtp: SmtpSettings
    base_url: str
    max_items_per_group: int = 100    # beyond this, a group says how many more and links to the watchlist

    def everyone(self) -> tuple[str, ...]:
        """Every distinct recipient, QA team first, in configuration order."""
        seen: dict[str, None] = {}
        for address in self.recipients + tuple(a for r in self.routes for a in r.recipients):
            seen.setdefault(address, None)
        return tuple(seen)


def _addresses(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise ConfigError(f"{where} must be a list of e-mail addresses")
    out = []
    for address in value:
        address = address.strip().lower()
        if not _ADDRESS.match(address):
            raise ConfigError(f"{where}: {address!r} is not an e-mail address")
        out.append(address)
    return tuple(out)


def _route(raw: Any, index: int) -> Route:
    where = f"[alerts] routes[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    kinds = frozenset(raw.get("service_kinds", []))
    unknown = kinds - set(SERVICE_KINDS)
    if unknown:
        raise ConfigError(f"{where} service_kinds: unknown {sorted(unknown)}; "
                          f"expected some of {', '.join(SERVICE_KINDS)}")
    las = raw.get("local_authorities", [])
    if not isinstance(las, list):
        raise ConfigError(f"{where} local_authorities must be a list")
    recipients = _addresses(raw.get("recipients", []), f"{where} recipients")
    if not recipients:
        raise ConfigError(f"{where} has no recipients")
    return Route(name=str(raw.get("name", f"route {index + 1}")), recipients=recipients,
                 local_authorities=frozenset(str(a).casefold() for a in las), service_kinds=kinds)


def alert_settings(settings: Settings) -> AlertSettings:
    section = settings.section("alerts")
    smtp = dict(section.get("smtp", {}))
    if "password" in smtp:
        raise ConfigError(f"{settings.source}: [alerts.smtp] password must not be in a file; "
                          f"set ${PASSWORD_ENV} in the environment instead")
    routes = tuple(_route(r, i) for i, r in enumerate(section.get("routes", [])))
    recipients = _addresses(section.get("recipients", []), "[alerts] recipients")
    if not recipients and not routes:
        raise ConfigError(f"{settings.source}: [alerts] recipients is empty and there are no routes")
    from_address = _addresses([section.get("from_address", "")], "[alerts] from_address")[0]
    try:
        port = int(smtp.get("port", 25))
        timeout = float(smtp.get("timeout_seconds", 30))
    except (TypeError, ValueError):
        raise ConfigError("[alerts.smtp] port and timeout_seconds must be numbers") from None
    base_url = str(settings.section("app").get("base_url", "")).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"[app] base_url {base_url!r} must start with http:// or https://")
    cap = section.get("max_items_per_group", 100)
    if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
        raise ConfigError(f"{settings.source}: [alerts] max_items_per_group must be a whole number of 1 or more")
    return AlertSettings(
        recipients=recipients, routes=routes, from_address=from_address,
        subject_prefix=str(section.get("subject_prefix", "Care market")),
        send_all_clear=bool(section.get("send_all_clear", True)),
        smtp=SmtpSettings(host=str(smtp.get("host", "localhost")), port=port,
                          starttls=bool(smtp.get("starttls", False)),
                          username=str(smtp.get("username", "")), timeout_seconds=timeout),
        base_url=base_url, max_items_per_group=cap,
    )
