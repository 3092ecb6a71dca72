"""Where the market stands at the end of a week: every location red or amber at the latest score
by then, and the same a week before, so the e-mail can open with the position and its change
before it says what changed (a quiet week is not a safe market while locations stay red)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import duckdb

from market_oversight import store
from market_oversight.vocab import SERVICE_KINDS

if TYPE_CHECKING:
    from market_oversight.alerts.changes import IsoWeek

RAG_ORDER = {"red": 0, "amber": 1, "green": 2}   # most at risk first


@dataclass(frozen=True)
class Place:
    """A location red or amber at a score, with who and where."""
    location_id: str
    rag: str
    likelihood: float | None
    impact: float | None
    location_name: str | None
    provider_id: str | None
    provider_name: str | None
    service_kind: str | None
    local_authority: str | None


@dataclass(frozen=True)
class KindCounts:
    service_kind: str
    red: int
    amber: int
    red_before: int
    amber_before: int


@dataclass(frozen=True)
class Standing:
    """Red and amber at the latest score by the week's end (`now`) and by the end of the week
    before (`before`); a score date of None: nothing scored by then."""
    scored_on: date | None = None
    now: tuple[Place, ...] = ()
    scored_before: date | None = None
    before: tuple[Place, ...] = ()

    def for_route(self, wanted: Callable[[Any], bool]) -> Standing:
        return replace(self, now=tuple(p for p in self.now if wanted(p)),
                       before=tuple(p for p in self.before if wanted(p)))

    @property
    def red(self) -> tuple[Place, ...]:
        return tuple(p for p in self.now if p.rag == "red")

    @property
    def amber(self) -> tuple[Place, ...]:
        return tuple(p for p in self.now if p.rag == "amber")

    def by_kind(self) -> tuple[KindCounts, ...]:
        """Red and amber now and a week before, per kind of service that has any."""
        def n(places: tuple[Place, ...], kind: str, rag: str) -> int:
            return sum(1 for p in places if p.service_kind == kind and p.rag == rag)

        kinds = [k for k in SERVICE_KINDS if any(p.service_kind == k for p in self.now + self.before)]
        return tuple(KindCounts(k, n(self.now, k, "red"), n(self.now, k, "amber"),
                                n(self.before, k, "red"), n(self.before, k, "amber")) for k in kinds)


def _places(con: duckdb.DuckDBPyConnection, as_at: date) -> tuple[date | None, tuple[Place, ...]]:
    scored_on = store.run(con, "alerts/score_date", as_at=as_at).fetchall()[0][0]
    rows = store.query(con, "alerts/standing", as_at=as_at).drop("as_of")
    return scored_on, tuple(Place(**r) for r in rows.iter_rows(named=True))


def standing_at(con: duckdb.DuckDBPyConnection, week: IsoWeek) -> Standing:
    scored_on, now = _places(con, week.end)
    scored_before, before = _places(con, week.start - timedelta(days=1))
    return Standing(scored_on, now, scored_before, before)
