"""Thresholds and weights: defaults in risk/thresholds.toml, a council's file on top."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from market_oversight.config import Settings, merge, read_toml
from market_oversight.errors import ConfigError
from market_oversight.paths import sql_dir
from market_oversight.vocab import CONCERN_STAGES, EVENT_TYPES, RAG

DEFAULT_THRESHOLDS = files(__package__) / "thresholds.toml"  # package data, shipped in the wheel
DOMAINS = ("quality", "sustainability", "impact")
LIKELIHOOD_DOMAINS = ("quality", "sustainability")
# Keys that describe an indicator rather than parameterise its SQL.
_META_KEYS = {"enabled", "source"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Hard floors ([rag] red_floors): an overall Inadequate rating, an active placement suspension, a
# provider-concerns stage in force; [rag] amber_floors: a concerns stage that makes a location at
# least amber. The concerns stages apply to the RAG in force only (mart.risk_history), as casework.
RED_FLOORS = ("overall_inadequate", "placement_suspension", *CONCERN_STAGES)
AMBER_FLOORS = CONCERN_STAGES
# A graded indicator's points per year of its value, one key per part: per_year_<part>.
PER_YEAR = "per_year_"


@dataclass(frozen=True)
class Indicator:
    name: str
    domain: str
    points: float                   # the most the flag adds (a banded flag: its highest band's points)
    params: dict[str, Any]          # bound into sql/indicators/NAME.sql as $NAME_<key>

    @property
    def bands(self) -> tuple[float, ...]:
        """A banded indicator's bands (each band's first value, ascending); () when not banded."""
        return tuple(float(b) for b in self.params.get("bands", ()))

    def band_of(self, value: float) -> int:
        """The band (1-based) a flag's value falls in: how many bands start at or below it."""
        return sum(1 for b in self.bands if b <= value)

    @property
    def per_year(self) -> dict[str, float]:
        """A graded indicator's points per year of its value (months), by part (for rating_overdue
        the rating: good, requires_improvement, inadequate); {} when not graded."""
        return {k.removeprefix(PER_YEAR): float(v) for k, v in self.params.items() if k.startswith(PER_YEAR)}

    def years(self, months: float) -> float:
        """A graded flag's value as the years its points grow by (capped at max_months)."""
        return min(float(months), float(self.params["max_months"])) / 12


@dataclass(frozen=True)
class Thresholds:
    indicators: tuple[Indicator, ...]
    cap: float
    likelihood_bands: tuple[float, float]
    impact_bands: tuple[float, float]
    matrix: tuple[str, ...]          # flattened [likelihood band][impact band]
    event_types: tuple[str, ...]
    top_share: float
    raw: dict[str, Any]
    source: str
    red_floors: tuple[str, ...] = ()  # RED_FLOORS that make a location red whatever its score
    amber_floors: tuple[str, ...] = ()  # AMBER_FLOORS that make a location at least amber

    @property
    def hash(self) -> str:
        """sha256 of the effective thresholds (canonical JSON), stored with every score."""
        text = json.dumps(self.raw, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def indicator(self, name: str) -> Indicator:
        for ind in self.indicators:
            if ind.name == name:
                return ind
        raise KeyError(name)

    def params(self) -> dict[str, Any]:
        """Every bound parameter of every enabled indicator, plus the RAG parameters."""
        out: dict[str, Any] = {
            "cap": float(self.cap),
            "likelihood_amber": float(self.likelihood_bands[0]),
            "likelihood_red": float(self.likelihood_bands[1]),
            "impact_medium": float(self.impact_bands[0]),
            "impact_high": float(self.impact_bands[1]),
            "rag_matrix": list(self.matrix),
            "red_floors": list(self.red_floors),
            "red_max_share": float(self.raw.get("rag", {}).get("red_max_share", 1.0)),
            "red_amber_max_share": float(self.raw.get("rag", {}).get("red_amber_max_share", 1.0)),
        }
        for ind in self.indicators:
            for key, value in ind.params.items():
                out[f"{ind.name}_{key}"] = value
        return out


def load_thresholds(path: str | Path | None = None, settings: Settings | None = None) -> Thresholds:
    """Defaults, then the council's file: `path` if given, else `[risk] thresholds` in settings."""
    data = read_toml(DEFAULT_THRESHOLDS)
    chosen = path or (settings.risk.thresholds if settings else None)
    if chosen:
        override = read_toml(Path(chosen))
        unknown = set(override.get("indicators", {})) - set(data["indicators"])
        if unknown:
            raise ConfigError(f"{chosen}: unknown indicators {sorted(unknown)}; "
                              f"known: {', '.join(sorted(data['indicators']))}")
        data = merge(data, override)
    return parse_thresholds(data, str(chosen or DEFAULT_THRESHOLDS))


def _event_types(names: Any, source: str) -> tuple[str, ...]:
    """A backtest counting an event the warehouse never records would quietly find none."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"{source}: [backtest] event_types must be a list of names from "
                          f"{', '.join(EVENT_TYPES)}")
    unknown = [n for n in names if n not in EVENT_TYPES]
    if unknown:
        raise ConfigError(f"{source}: [backtest] event_types names unknown event types {unknown}; "
                          f"known: {', '.join(EVENT_TYPES)}")
    return tuple(names)


def parse_thresholds(data: dict[str, Any], source: str) -> Thresholds:
    """Thresholds from their data (the defaults merged with a council's file), checked."""
    indicators = []
    for name, spec in sorted(data.get("indicators", {}).items()):
        if not _NAME.match(name):
            raise ConfigError(f"{source}: indicator name {name!r} must be lower-case letters, digits, _")
        if spec.get("domain") not in DOMAINS:
            raise ConfigError(f"{source}: [indicators.{name}] domain must be one of {', '.join(DOMAINS)}")
        if "bands" in spec:
            spec = _banded(name, spec, source)
        elif any(k.startswith(PER_YEAR) for k in spec):
            spec = _graded(name, spec, source)
        if not isinstance(spec.get("points"), (int, float)) or spec["points"] < 0:
            raise ConfigError(f"{source}: [indicators.{name}] points must be a number >= 0")
        if not (sql_dir() / "indicators" / f"{name}.sql").is_file():
            raise ConfigError(f"{source}: [indicators.{name}] has no SQL file sql/indicators/{name}.sql")
        if not spec.get("enabled", True):
            continue
        params = {k: v for k, v in spec.items() if k not in _META_KEYS}
        indicators.append(Indicator(name, spec["domain"], float(spec["points"]), params))
    rag = data.get("rag", {})
    floors = tuple(rag.get("red_floors", ()))
    if set(floors) - set(RED_FLOORS):
        raise ConfigError(f"{source}: [rag] red_floors must be among {', '.join(RED_FLOORS)}")
    amber_floors = tuple(rag.get("amber_floors", ()))
    if set(amber_floors) - set(AMBER_FLOORS):
        raise ConfigError(f"{source}: [rag] amber_floors must be among {', '.join(AMBER_FLOORS)}")
    matrix = tuple(cell for row in rag.get("matrix", []) for cell in row)
    if len(matrix) != 9 or set(matrix) - set(RAG):
        raise ConfigError(f"{source}: [rag] matrix must be 3 rows of 3 of {', '.join(RAG)}")
    lb, ib = rag.get("likelihood_bands", []), rag.get("impact_bands", [])
    if len(lb) != 2 or len(ib) != 2 or lb[0] > lb[1] or ib[0] > ib[1]:
        raise ConfigError(f"{source}: [rag] likelihood_bands and impact_bands must be two ascending numbers")
    bt = data.get("backtest", {})
    unknown_events = sorted(set(bt.get("event_types", ())) - set(EVENT_TYPES))
    if unknown_events:
        raise ConfigError(f"{source}: [backtest] event_types {unknown_events} unknown; "
                          f"known: {', '.join(EVENT_TYPES)}")
    return Thresholds(
        indicators=tuple(indicators), cap=float(data.get("scoring", {}).get("cap", 100)),
        likelihood_bands=(float(lb[0]), float(lb[1])), impact_bands=(float(ib[0]), float(ib[1])),
        matrix=matrix, event_types=_event_types(bt.get("event_types", []), source),
        top_share=float(bt.get("top_share", 0.1)), raw=data, source=source, red_floors=floors,
        amber_floors=amber_floors,
    )


def _banded(name: str, spec: dict[str, Any], source: str) -> dict[str, Any]:
    """A banded indicator: `bands` (each band's first value, ascending) and `band_points` (one
    number >= 0 per band); its `points` is the highest band's."""
    bands, points = spec.get("bands"), spec.get("band_points")
    numbers = isinstance(bands, list) and isinstance(points, list) and all(
        isinstance(x, (int, float)) for x in [*bands, *points])
    if not numbers or not bands or len(bands) != len(points) or sorted(bands) != bands \
            or len(set(bands)) != len(bands) or min(points) < 0:
        raise ConfigError(f"{source}: [indicators.{name}] bands must be ascending numbers and band_points "
                          "one number >= 0 for each band")
    return spec | {"points": max(points), "band_points": [float(x) for x in points]}


def _graded(name: str, spec: dict[str, Any], source: str) -> dict[str, Any]:
    """A graded indicator: raised from `from_months`, its points `per_year_<part>` times the
    years of its value up to `max_months`; its `points` is the most any part can add."""
    rates = {k: v for k, v in spec.items() if k.startswith(PER_YEAR)}
    start, top = spec.get("from_months"), spec.get("max_months")
    numbers = all(isinstance(x, (int, float)) and x >= 0 for x in [*rates.values(), start, top])
    if not numbers or top < start:
        raise ConfigError(f"{source}: [indicators.{name}] from_months, max_months (not below from_months) "
                          f"and every {PER_YEAR}<part> must be numbers >= 0")
    return spec | {"points": round(max(rates.values()) * top / 12, 2),
                   **{k: float(v) for k, v in rates.items()}}
