"""The `[alerts]` section of the configuration (checked by `config.load_settings`), in the form
the alerts use: the recipients and routes, with the app's base URL for the links."""

from __future__ import annotations

from dataclasses import dataclass

from market_oversight.config import DEMO_ENV, PASSWORD_ENV, RouteSettings, Settings, SmtpSettings, demo_mode
from market_oversight.errors import ConfigError

__all__ = ["PASSWORD_ENV", "AlertSettings", "Route", "SmtpSettings", "alert_settings", "base_url"]

DEMO_BASE_URL = "http://localhost:8501"   # the demo app on this machine (`make run`)


@dataclass(frozen=True)
class Route:
    """Recipients who get the changes for some local authorities and/or kinds of service."""
    name: str
    recipients: tuple[str, ...]
    local_authorities: frozenset[str]   # casefolded; empty: every local authority
    service_kinds: frozenset[str]       # empty: every kind

    def matches(self, local_authority: str | None, service_kind: str | None) -> bool:
        la_ok = not self.local_authorities or (local_authority or "").casefold() in self.local_authorities
        kind_ok = not self.service_kinds or service_kind in self.service_kinds
        return la_ok and kind_ok


@dataclass(frozen=True)
class AlertSettings:
    recipients: tuple[str, ...]
    routes: tuple[Route, ...]
    from_address: str
    subject_prefix: str
    send_all_clear: bool
    smtp: SmtpSettings
    base_url: str
    max_items_per_group: int    # beyond this, a group says how many more and links to the watchlist

    def everyone(self) -> tuple[str, ...]:
        """Every distinct recipient, QA team first, in configuration order."""
        seen: dict[str, None] = {}
        for address in self.recipients + tuple(a for r in self.routes for a in r.recipients):
            seen.setdefault(address, None)
        return tuple(seen)


def _route(route: RouteSettings, index: int) -> Route:
    return Route(name=route.name or f"route {index + 1}", recipients=route.recipients,
                 local_authorities=frozenset(a.casefold() for a in route.local_authorities),
                 service_kinds=frozenset(route.service_kinds))


def base_url(settings: Settings, *, demo: bool | None = None) -> str:
    """The app's address for the e-mail's links: the council's [app] base_url. Unset, only the demo
    (`demo`, else $MARKET_OVERSIGHT_DEMO=1) may go on, with links to the app on this machine; a
    council's e-mail with links that open nowhere is refused before anything is sent or written."""
    if settings.app.base_url:
        return settings.app.base_url.rstrip("/")
    if demo if demo is not None else demo_mode():
        return DEMO_BASE_URL
    raise ConfigError(
        "[app] base_url is not set, so the e-mail's links to the app would open nowhere: set it in the "
        'council\'s configuration file (for example base_url = "https://oversight.council.example"), '
        f"or run the demo with {DEMO_ENV}=1; nothing was sent")


def alert_settings(settings: Settings, *, demo: bool | None = None) -> AlertSettings:
    alerts = settings.alerts
    return AlertSettings(
        recipients=alerts.recipients, routes=tuple(_route(r, i) for i, r in enumerate(alerts.routes)),
        from_address=alerts.from_address, subject_prefix=alerts.subject_prefix,
        send_all_clear=alerts.send_all_clear, smtp=alerts.smtp,
        base_url=base_url(settings, demo=demo), max_items_per_group=alerts.max_items_per_group,
    )
