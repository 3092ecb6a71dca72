"""The market overview: headline figures now and a month earlier, ratings mix, map, capacity, fees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from market_oversight.queries.filters import MarketFilter
from market_oversight.store import frame, sql

HEADLINES = ("locations", "beds", "occupancy_rate", "good_or_better_share", "red", "amber")


@dataclass(frozen=True)
class Headline:
    name: str
    now: float | None
    month_ago: float | None

    @property
    def change(self) -> float | None:
        if self.now is None or self.month_ago is None:
            return None
        return self.now - self.month_ago


def headline(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> dict[str, Headline]:
    """Each headline figure at `as_of` and one month before it."""
    now = _headline_row(con, market, as_of)
    before = _headline_row(con, market, month_before(as_of))
    # Occupancy comes from returns, which lag: compare the latest month returned with the month before it.
    if now["occupancy_month"] is not None:
        earlier = _headline_row(con, market, month_before(now["occupancy_month"]))
        before["occupancy_rate"], before["occupancy_month"] = earlier["occupancy_rate"], earlier["occupancy_month"]
    return {name: Headline(name, now[name], before[name]) for name in HEADLINES} | {
        "scored_on": Headline("scored_on", now["scored_on"], before["scored_on"]),
        "occupancy_month": Headline("occupancy_month", now["occupancy_month"], before["occupancy_month"]),
    }


def month_before(day: date) -> date:
    """The same day of the previous month (the month's last day when it is shorter)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _headline_row(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> dict:
    df = frame(con, sql("queries/overview_headline"), {"as_of": as_of, **market.params()})
    return df.row(0, named=True)


def ratings_mix(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date,
                quarters: int = 9) -> pl.DataFrame:
    """Active locations per overall rating on `as_of` and quarterly before it (two years by default)."""
    return frame(con, sql("queries/overview_ratings_mix"),
                 {"as_of": as_of, "quarters": quarters, **market.params()})


def map_points(con: duckdb.DuckDBPyConnection, market: MarketFilter) -> pl.DataFrame:
    return frame(con, sql("queries/overview_map"), market.params())


def capacity(con: duckdb.DuckDBPyConnection, market: MarketFilter) -> pl.DataFrame:
    return frame(con, sql("queries/overview_capacity"), market.params())


def fees(con: duckdb.DuckDBPyConnection, market: MarketFilter, as_of: date) -> pl.DataFrame:
    return frame(con, sql("queries/overview_fees"), {"as_of": as_of, **market.params()})
