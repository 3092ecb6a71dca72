"""Configuration: one TOML file of defaults in the package, overridden by a council's own file.

Loaded once, explicitly, into a `Settings` object that is passed in; each module reads its own
section into a typed dataclass of its own (for example `alerts.config.AlertSettings`).
Secrets (SMTP password, API keys) come from environment variables, never from these files.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from market_oversight.errors import ConfigError

DEFAULTS = files(__package__) / "defaults.toml"  # package data, shipped in the wheel
CONFIG_ENV = "MARKET_OVERSIGHT_CONFIG"


@dataclass(frozen=True)
class Settings:
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = str(DEFAULTS)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.sections.get(name, {}))


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
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
    """Defaults, then the file named (or $MARKET_OVERSIGHT_CONFIG) on top."""
    data = read_toml(DEFAULTS)
    chosen = path or os.environ.get(CONFIG_ENV)
    if chosen:
        data = _merge(data, read_toml(Path(chosen)))
    return Settings(sections=data, source=str(chosen or DEFAULTS))
