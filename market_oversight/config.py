"""Configuration: every default in defaults.toml (package data), overridden by a council's own file.

`load_settings()` reads defaults.toml, then the council's file (`--config`, else
$MARKET_OVERSIGHT_CONFIG) on top, and turns the result into one frozen `Settings` object, checked
once, at start: a section or key not declared below, a value of the wrong type, out of range, or
not an e-mail address, URL or existing file where one is needed, is refused with a ConfigError that
names the file, the section and the key. The dataclasses hold no defaults: defaults.toml gives every
key (tests/test_settings.py checks both ways). Secrets (the SMTP password, API keys) come from
environment variables, never from these files.
"""

from __future__ import annotations

import os
import re
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from market_oversight.errors import ConfigError
from market_oversight.vocab import SERVICE_KINDS

DEFAULTS = files(__package__) / "defaults.toml"  # package data, shipped in the wheel
CONFIG_ENV = "MARKET_OVERSIGHT_CONFIG"
PASSWORD_ENV = "MARKET_OVERSIGHT_SMTP_PASSWORD"
DEMO_ENV = "MARKET_OVERSIGHT_DEMO"   # "1": the app and the alerts run as the demo (fictional Kingsmere)
UPLOAD_TYPES = ("csv", "xlsx", "ods")
JUDGES = ("gx", "sql", "auto")

_MISSING = object()   # a key left out of an array-of-tables item

# A check returns what is wrong with a value, or None.
Check = Callable[[Any], str | None]
_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+$")


def _between(low: float, high: float | None = None) -> Check:
    wanted = f"between {low} and {high}" if high is not None else f"at least {low}"
    return lambda value: None if low <= value and (high is None or value <= high) else f"must be {wanted}"


def _one_of(choices: tuple[str, ...]) -> Check:
    return lambda value: None if value in choices else f"must be one of {', '.join(choices)}"


def _email(value: str) -> str | None:
    return None if _ADDRESS.match(value) else "is not an e-mail address"


def _url(value: str) -> str | None:
    return None if value.startswith(("http://", "https://")) else "must start with http:// or https://"


def _url_or_unset(value: str) -> str | None:
    return None if not value else _url(value)


def demo_mode(environ: Mapping[str, str] | None = None) -> bool:
    """Started as the demo ($MARKET_OVERSIGHT_DEMO=1): the app without an identity provider, the
    alerts with links to the app on this machine."""
    return (environ if environ is not None else os.environ).get(DEMO_ENV) == "1"


def _not_empty(value: str | tuple) -> str | None:
    return None if value else "must not be empty"


def _rule(check: Check | None = None, *, each: Check | None = None, lower: bool = False,
          optional: bool = False, may_be_missing: bool = False) -> Any:
    """A field's rules: `check` on the value, `each` on every item of a list, `lower` to lower-case
    strings (e-mail addresses, file types), `optional` for keys of an array-of-tables item that may
    be left out (they are then empty: an empty list means every one), `may_be_missing` for a file
    whose absence the reader reports itself (so that one missing file does not stop every page)."""
    return field(metadata={"check": check, "each": each, "lower": lower, "optional": optional,
                           "may_be_missing": may_be_missing})


# ---- the sections ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReturnsSettings:
    due_day_of_following_month: int = _rule(_between(1, 28))


@dataclass(frozen=True)
class ContractsSettings:
    judge: str = _rule(_one_of(JUDGES))
    gx_max_rows: int = _rule(_between(1))


@dataclass(frozen=True)
class IngestSettings:
    max_columns: int = _rule(_between(2))
    max_cell_kilobytes: float = _rule(_between(1))
    max_rows: int = _rule(_between(1))
    max_expanded_megabytes: float = _rule(_between(0.001))
    max_compression_ratio: float = _rule(_between(1))


@dataclass(frozen=True)
class JobsSettings:
    threads: int = _rule(_between(0))   # 0: every core but one
    memory_limit_megabytes: int = _rule(_between(64))
    temp_directory: str = _rule()       # "" beside the warehouse (<warehouse>.tmp)
    niceness: int = _rule(_between(0, 19))


@dataclass(frozen=True)
class AppSettings:
    base_url: str = _rule(_url_or_unset)   # "" until a council sets it: the alerts then refuse to send


@dataclass(frozen=True)
class AccessSettings:
    administrators: tuple[str, ...] = _rule(each=_not_empty)
    contract_managers: tuple[str, ...] = _rule(each=_not_empty)
    data_officers: tuple[str, ...] = _rule(each=_not_empty)


@dataclass(frozen=True)
class RouteSettings:
    name: str = _rule(optional=True)
    recipients: tuple[str, ...] = _rule(_not_empty, each=_email, lower=True)
    service_kinds: tuple[str, ...] = _rule(each=_one_of(SERVICE_KINDS), optional=True)
    local_authorities: tuple[str, ...] = _rule(optional=True)


@dataclass(frozen=True)
class SmtpSettings:
    host: str = _rule(_not_empty)
    port: int = _rule(_between(1, 65535))
    starttls: bool = _rule()
    username: str = _rule()
    timeout_seconds: float = _rule(_between(1))

    def password(self) -> str | None:
        """From the environment only; required when a username is configured."""
        if not self.username:
            return None
        secret = os.environ.get(PASSWORD_ENV)
        if not secret:
            raise ConfigError(f"[alerts.smtp] username is set but ${PASSWORD_ENV} is empty")
        return secret


@dataclass(frozen=True)
class AlertsSettings:
    recipients: tuple[str, ...] = _rule(each=_email, lower=True)
    from_address: str = _rule(_email, lower=True)
    subject_prefix: str = _rule()
    send_all_clear: bool = _rule()
    max_items_per_group: int = _rule(_between(1))
    routes: tuple[RouteSettings, ...] = _rule()
    smtp: SmtpSettings = _rule()

    def problem(self) -> tuple[str, str] | None:
        if not self.recipients and not self.routes:
            return "recipients", "is empty and there are no routes"
        return None


@dataclass(frozen=True)
class AnalystSettings:
    snapshot_keep: int = _rule(_between(1))


@dataclass(frozen=True)
class UploadsSettings:
    max_megabytes: float = _rule(_between(0.001))
    allowed_types: tuple[str, ...] = _rule(_not_empty, each=_one_of(UPLOAD_TYPES), lower=True)
    max_expanded_megabytes: float = _rule(_between(0.001))
    max_compression_ratio: float = _rule(_between(1))
    max_parts: int = _rule(_between(1))


@dataclass(frozen=True)
class AccessibilitySettings:
    contact: str = _rule(_not_empty)


@dataclass(frozen=True)
class RiskSettings:
    thresholds: Path | None = _rule()   # "" in the file: risk/thresholds.toml alone


@dataclass(frozen=True)
class MapSettings:
    boundaries: Path | None = _rule(may_be_missing=True)   # "" in the file: none (the demo draws its own outline)
    name_property: str = _rule()                           # "" to find ONS's name property (LAD24NM, ...) itself


@dataclass(frozen=True)
class Settings:
    """The whole configuration, one typed section per [table] of defaults.toml."""
    returns: ReturnsSettings
    contracts: ContractsSettings
    ingest: IngestSettings
    jobs: JobsSettings
    app: AppSettings
    access: AccessSettings
    alerts: AlertsSettings
    analyst: AnalystSettings
    uploads: UploadsSettings
    accessibility: AccessibilitySettings
    risk: RiskSettings
    map: MapSettings
    source: str = field(default=str(DEFAULTS), compare=False)   # the council's file, else the defaults


# Keys refused with a reason of their own rather than "unknown".
_REFUSED = {("alerts", "smtp", "password"): f"must not be in a file; set ${PASSWORD_ENV} in the environment instead",
            ("ingest", "memory_limit_megabytes"): "has moved: set it in [jobs], which every job reads",
            ("ingest", "temp_directory"): "has moved: set it in [jobs], which every job reads"}


# ---- loading --------------------------------------------------------------------------------------

def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` over `base`, table by table; any other value (a list too) is replaced whole."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_toml(path: Traversable) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from None


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Defaults, then the file named (or $MARKET_OVERSIGHT_CONFIG) on top, checked."""
    chosen = path or os.environ.get(CONFIG_ENV)
    if not chosen:
        return settings_from(None)
    return settings_from(read_toml(Path(chosen)), source=str(chosen), folder=Path(chosen).parent)


def settings_from(override: dict[str, Any] | None, *, source: str = "overrides",
                  folder: Path | None = None) -> Settings:
    """The defaults with `override` (parsed TOML, from `source`; its relative paths start from
    `folder`) on top, checked; a problem is named after the file that set the key."""
    layers = [(str(DEFAULTS), None, read_toml(DEFAULTS))]
    if override is not None:
        layers.append((source, folder, override))
    data: dict[str, Any] = {}
    for _, _, layer in layers:
        data = merge(data, layer)
    return replace(_Builder(layers).table(Settings, data, ()), source=layers[-1][0])


class _Builder:
    """Walks a dataclass schema over merged TOML, converting and checking each value."""

    def __init__(self, layers: list[tuple[str, Path | None, dict[str, Any]]]) -> None:
        self.layers = layers

    def _origin(self, path: tuple[str | int, ...]) -> tuple[str, Path | None]:
        """The file that set this key last (for a missing key, the table holding it), and the
        folder its relative paths start from."""
        for end in range(len(path), 0, -1):
            for name, folder, layer in reversed(self.layers):
                if _holds(layer, path[:end]):
                    return name, folder
        return self.layers[0][0], None

    def _fail(self, path: tuple[str | int, ...], problem: str) -> ConfigError:
        return ConfigError(f"{self._origin(path)[0]}: {_where(path)} {problem}")

    def table(self, cls: type, raw: Any, path: tuple[str | int, ...]) -> Any:
        if not isinstance(raw, dict):
            raise self._fail(path, "must be a table")
        hints = typing.get_type_hints(cls)
        declared = {f.name: f for f in fields(cls) if f.name != "source"}
        for key in raw:
            if key not in declared:
                reason = _REFUSED.get(tuple(p for p in path if isinstance(p, str)) + (key,))
                raise self._fail((*path, key), reason or (
                    f"is not a known {'section' if not path else 'key'}; known: {', '.join(declared)}"))
        values = {}
        for name, f in declared.items():
            if name not in raw and not f.metadata.get("optional"):
                raise self._fail((*path, name), "is missing" + ("" if path else " (every section is in defaults.toml)"))
            values[name] = self._value(hints[name], raw.get(name, _MISSING), (*path, name), f.metadata)
        built = cls(**values)
        problem = built.problem() if hasattr(built, "problem") else None
        if problem:
            raise self._fail((*path, problem[0]), problem[1])
        return built

    def _value(self, hint: Any, raw: Any, path: tuple[str | int, ...], rules: typing.Mapping[str, Any]) -> Any:
        value = self._convert(hint, raw, path, rules)
        check = rules.get("check")
        problem = check(value) if check and raw is not _MISSING else None
        if problem:
            raise self._fail(path, f"{problem}, not {raw!r}")
        return value

    def _convert(self, hint: Any, raw: Any, path: tuple[str | int, ...], rules: typing.Mapping[str, Any]) -> Any:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if is_dataclass(hint):
            return self.table(hint, raw, path)
        if origin is tuple:
            return self._list(args[0], raw, path, rules)
        if raw is _MISSING:   # an optional key of an array-of-tables item
            return ""
        if origin in (types.UnionType, typing.Union) and Path in args:
            return self._path(raw, path, must_exist=not rules.get("may_be_missing"))
        wanted = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}[hint]
        ok = isinstance(raw, hint) and not (hint is int and isinstance(raw, bool))
        if hint is float and isinstance(raw, int) and not isinstance(raw, bool):
            ok, raw = True, float(raw)
        if not ok:
            raise self._fail(path, f"must be {wanted}, not {raw!r}")
        if isinstance(raw, str):
            raw = raw.strip().lower() if rules.get("lower") else raw.strip()
        return raw

    def _list(self, item: Any, raw: Any, path: tuple[str | int, ...], rules: typing.Mapping[str, Any]) -> tuple:
        if raw is _MISSING:
            return ()
        if not isinstance(raw, list):
            raise self._fail(path, f"must be a list, not {raw!r}")
        if is_dataclass(item):
            return tuple(self.table(item, r, (*path, i)) for i, r in enumerate(raw))
        out = []
        for i, element in enumerate(raw):
            if not isinstance(element, str):
                raise self._fail(path, f"must be a list of text, not {raw!r}")
            element = element.strip().lower() if rules.get("lower") else element.strip()
            problem = rules["each"](element) if rules.get("each") else None
            if problem:
                raise self._fail(path, f"item {i + 1}: {element!r} {problem}")
            out.append(element)
        return tuple(out)

    def _path(self, raw: Any, path: tuple[str | int, ...], *, must_exist: bool = True) -> Path | None:
        if not isinstance(raw, str):
            raise self._fail(path, f"must be a file name as text, not {raw!r}")
        if not raw:
            return None
        folder = self._origin(path)[1]
        chosen = Path(raw).expanduser()
        if not chosen.is_absolute() and folder is not None:
            chosen = folder / chosen   # relative to the file that names it, not the working directory
        if must_exist and not chosen.is_file():
            raise self._fail(path, f"names {chosen}, which is not a file")
        return chosen


def _holds(table: Any, path: tuple[str | int, ...]) -> bool:
    for part in path:
        if isinstance(part, int) and isinstance(table, list) and part < len(table):
            table = table[part]
        elif isinstance(part, str) and isinstance(table, dict) and part in table:
            table = table[part]
        else:
            return False
    return True


def _where(path: tuple[str | int, ...]) -> str:
    """`[returns]`, `[alerts.smtp] port`, `[alerts.routes[0]] recipients`: as the TOML names it."""
    tokens: list[str] = []
    for part in path:
        if isinstance(part, int):
            tokens[-1] += f"[{part}]"
        else:
            tokens.append(part)
    return f"[{'.'.join(tokens[:-1])}] {tokens[-1]}" if len(tokens) > 1 else f"[{tokens[0]}]"
