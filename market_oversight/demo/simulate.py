"""The hidden health process of every demo location, month by month.

Each location has a latent health (about 0 failing .. 1 thriving) that drifts back towards its own
level, and is pushed down by hidden causes: staffing crises, a registered manager leaving, fee
pressure (low fees or empty places), and distress of its owner (which hits every location of that provider at once). The
observable world follows from it with noise and lags: monthly returns respond within the month;
inspections rate a lagged average of health at irregular times and publish a month or two later;
councils suspend placements after poor findings; very unhealthy locations close.

This module is the generator's own model. It deliberately shares nothing with the risk engine
(market_oversight.risk): no thresholds, no code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from market_oversight.demo.scales import LAST_PERIOD, month_index
from market_oversight.demo.world import OTHER, World

# Ranks: 4 Outstanding, 3 Good, 2 Requires improvement, 1 Inadequate.
RATING_LABELS = {4: "Outstanding", 3: "Good", 2: "Requires improvement", 1: "Inadequate"}
KQ_NAMES = ("Safe", "Effective", "Caring", "Responsive", "Well-led")
EVENT_TYPES = ("downgrade", "closure", "suspension", "suspension_lifted", "staffing_crisis",
               "manager_change", "owner_distress", "fee_pressure")
_CUTS = np.array([0.38, 0.64, 0.92])   # generator's own rating cut-points on its latent scale


def rank_of(score: np.ndarray) -> np.ndarray:
    return (np.searchsorted(_CUTS, score) + 1).astype(np.int8)


@dataclass
class Reports:
    """Every published inspection report: location, month and day published, ranks."""
    loc: list[np.ndarray] = field(default_factory=list)
    month: list[np.ndarray] = field(default_factory=list)
    visit_month: list[np.ndarray] = field(default_factory=list)
    overall: list[np.ndarray] = field(default_factory=list)
    kq: list[np.ndarray] = field(default_factory=list)     # (k, 5)
    day: list[np.ndarray] = field(default_factory=list)

    def add(self, loc, month, visit, overall, kq, day) -> None:
        self.loc.append(loc); self.month.append(month); self.visit_month.append(visit)
        self.overall.append(overall); self.kq.append(kq); self.day.append(day)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"loc": np.concatenate(self.loc), "month": np.concatenate(self.month),
                "visit_month": np.concatenate(self.visit_month),
                "overall": np.concatenate(self.overall), "kq": np.concatenate(self.kq),
                "day": np.concatenate(self.day)}


@dataclass
class Simulation:
    world: World
    first_month: int
    health: np.ndarray          # (T, N) float32
    staffing: np.ndarray        # (T, N) bool
    manager: np.ndarray
    fee: np.ndarray
    owner: np.ndarray
    suspended: np.ndarray
    active: np.ndarray          # registered and open during the month
    true_rank: np.ndarray       # (T, N) int8
    closed_month: np.ndarray    # (N,) month index of closure, or a large number
    reports: dict[str, np.ndarray]
    events: dict[str, np.ndarray]   # loc, month, day, type (index into EVENT_TYPES), detail rank

    @property
    def months(self) -> int:
        return self.health.shape[0]


class _Events:
    """Events as they happen: location, month, day of month, type, detail (a downgrade's rank)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.parts: list[tuple[np.ndarray, int, np.ndarray, int, np.ndarray]] = []

    def add(self, locs: np.ndarray, month: int, etype: str, detail: np.ndarray | None = None,
            day: np.ndarray | None = None) -> None:
        k = len(locs)
        detail = detail if detail is not None else np.zeros(k, dtype=np.int8)
        day = day if day is not None else self.rng.integers(1, 29, k)
        self.parts.append((np.asarray(locs, np.int64), month, day, EVENT_TYPES.index(etype), detail))

    def arrays(self) -> dict[str, np.ndarray]:
        parts = self.parts or [(np.zeros(0, np.int64), 0, np.zeros(0, np.int64), 0, np.zeros(0, np.int8))]
        return {"loc": np.concatenate([p[0] for p in parts]),
                "month": np.concatenate([np.full(len(p[0]), p[1]) for p in parts]),
                "day": np.concatenate([p[2] for p in parts]),
                "type": np.concatenate([np.full(len(p[0]), p[3]) for p in parts]),
                "detail": np.concatenate([p[4] for p in parts])}


def _episode(rng, running: np.ndarray, hazard: np.ndarray, low: int, high: int,
             eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Count down running episodes; start new ones with the given monthly hazard."""
    running = np.maximum(running - 1, 0)
    start = eligible & (running == 0) & (rng.random(len(running)) < hazard)
    running = np.where(start, rng.integers(low, high + 1, len(running)), running)
    return running, np.flatnonzero(start)


def _initial_reports(rng, world: World, first: int, reports: Reports) -> tuple[np.ndarray, np.ndarray]:
    """One or two reports before the window for locations registered long enough; returns the
    current overall rank (0 = never rated) and the month of the next inspection."""
    n = world.n
    rated = world.registered_month < first - 8
    last = np.where(rated, first - rng.integers(1, 30, n), 0)
    earlier = rated & (rng.random(n) < 0.6) & (last - 30 > world.registered_month + 6)
    for mask, months in ((earlier, last - rng.integers(26, 40, n)), (rated, last)):
        idx = np.flatnonzero(mask)
        score = world.base_health[idx] + rng.normal(0, 0.07, len(idx))
        overall, kq = _rate(rng, score, np.zeros(len(idx)), np.zeros(len(idx)))
        reports.add(idx, months[idx], months[idx] - 1, overall, kq, rng.integers(1, 29, len(idx)))
    rank = np.zeros(n, dtype=np.int8)
    idx = np.flatnonzero(rated)
    rank[idx] = reports.overall[-1]
    # A new service waits nine months to three years for its first inspection (CQC's backlog of unrated
    # services).
    next_due = np.where(rated, last + _interval(rng, rank), world.registered_month + rng.integers(9, 37, n))
    return rank, next_due


def _rate(rng, score: np.ndarray, staffing: np.ndarray, manager: np.ndarray):
    k = len(score)
    kq = np.stack([
        score - 0.07 * staffing + rng.normal(0, 0.06, k),          # Safe
        score + rng.normal(0, 0.05, k),                            # Effective
        score + 0.06 + rng.normal(0, 0.05, k),                     # Caring
        score + 0.02 + rng.normal(0, 0.05, k),                     # Responsive
        score - 0.09 * manager + rng.normal(0, 0.06, k),           # Well-led
    ], axis=1)
    kq_rank = rank_of(kq)
    overall = rank_of(score)
    # Two or more key questions Inadequate make the whole service Inadequate.
    overall = np.where((kq_rank == 1).sum(axis=1) >= 2, 1, overall).astype(np.int8)
    return overall, kq_rank


def _interval(rng, rank: np.ndarray) -> np.ndarray:
    low = np.choose(rank.clip(1, 4) - 1, [5, 10, 24, 40])
    high = np.choose(rank.clip(1, 4) - 1, [8, 16, 48, 60])
    return rng.integers(low, high + 1)


class _Market:
    """The month-to-month state of every location, advanced one month at a time by `step`."""

    def __init__(self, world: World, rng: np.random.Generator, first: int) -> None:
        n = world.n
        self.w, self.rng = world, rng
        self.reports, self.events = Reports(), _Events(rng)
        self.rank, self.next_due = _initial_reports(rng, world, first, self.reports)
        self.h = np.clip(world.base_health + rng.normal(0, 0.04, n), 0, 1)
        self.smooth = self.h.copy()
        self.staffing, self.manager, self.fee = (np.zeros(n, np.int64) for _ in range(3))
        self.owner = np.zeros(world.provider_count, np.int64)
        self.suspended, self.suspended_for = np.zeros(n, bool), np.zeros(n, np.int64)
        self.closed = np.full(n, 10**6)
        self.pending_month, self.pending_visit = np.full(n, -1), np.zeros(n, np.int64)
        self.pending_overall, self.pending_kq = np.zeros(n, np.int8), np.zeros((n, 5), np.int8)
        # Money trouble comes from low fees and from empty places (low demand).
        self.fee_hazard = 0.003 * np.exp((1.0 - world.fee_ratio) * 16 - world.demand * 12)
        self.commissioned = world.kind != OTHER

    def causes(self, m: int, active: np.ndarray) -> np.ndarray:
        """Hidden causes start and end; health moves towards where they push it."""
        w, rng, ev = self.w, self.rng, self.events
        self.owner, started = _episode(rng, self.owner, 0.0022, 8, 20, np.ones(w.provider_count, bool))
        ev.add(np.flatnonzero(np.isin(w.provider_index, started) & active), m, "owner_distress")
        owner_loc = self.owner[w.provider_index] > 0
        self.fee, started = _episode(rng, self.fee, self.fee_hazard, 6, 18, active)
        ev.add(started, m, "fee_pressure")
        self.manager, started = _episode(
            rng, self.manager, 0.010 + 0.02 * (self.staffing > 0) + 0.02 * owner_loc, 2, 9, active)
        ev.add(started, m, "manager_change")
        hazard = 0.006 * (1 + 2.5 * (self.fee > 0) + 1.5 * (self.manager > 0) + 2.0 * owner_loc)
        self.staffing, started = _episode(rng, self.staffing, hazard, 3, 12, active)
        ev.add(started, m, "staffing_crisis")
        target = (w.base_health - 0.30 * (self.staffing > 0) - 0.13 * (self.manager > 0)
                  - 0.10 * (self.fee > 0) - 0.17 * owner_loc)
        self.h = np.clip(self.h + 0.2 * (target - self.h) + rng.normal(0, 0.03, w.n), 0, 1)
        self.smooth = 0.75 * self.smooth + 0.25 * self.h
        return owner_loc

    def publish(self, m: int, active: np.ndarray) -> np.ndarray:
        """Reports of earlier visits are published; returns Inadequate services to suspend now."""
        publish = np.flatnonzero((self.pending_month == m) & active)
        if not len(publish):
            return np.zeros(0, np.int64)
        rng, new = self.rng, self.pending_overall[publish]
        day = rng.integers(1, 29, len(publish))
        self.reports.add(publish, np.full(len(publish), m), self.pending_visit[publish], new,
                         self.pending_kq[publish], day)
        down = (self.rank[publish] > new) & (new <= 2)
        self.events.add(publish[down], m, "downgrade", new[down], day[down])
        self.rank[publish] = new
        self.next_due[publish] = m + _interval(rng, new)
        self.pending_month[publish] = -1
        inadequate = publish[(new == 1) & self.commissioned[publish] & ~self.suspended[publish]]
        return inadequate[rng.random(len(inadequate)) < 0.7]

    def inspect(self, m: int, active: np.ndarray) -> None:
        """CQC visits when due, or sooner when concerns reach it; rates lagged health."""
        rng = self.rng
        responsive = 0.006 + 0.2 / (1 + np.exp((self.smooth - 0.55) / 0.04))
        visit = np.flatnonzero(active & (self.pending_month < 0)
                               & ((m >= self.next_due) | (rng.random(self.w.n) < responsive)))
        if len(visit):
            score = self.smooth[visit] + rng.normal(0, 0.05, len(visit))
            o, kq = _rate(rng, score, (self.staffing[visit] > 0).astype(float),
                          (self.manager[visit] > 0).astype(float))
            self.pending_overall[visit], self.pending_kq[visit] = o, kq
            self.pending_visit[visit] = m
            self.pending_month[visit] = m + rng.integers(1, 3, len(visit))

    def council(self, m: int, active: np.ndarray, impose_now: np.ndarray) -> None:
        """Council placement suspensions: imposed on poor findings or collapse, lifted on recovery."""
        rng, n = self.rng, self.w.n
        concern = np.flatnonzero(active & self.commissioned & ~self.suspended & (self.h < 0.3)
                                 & (rng.random(n) < 0.05))
        impose = np.union1d(impose_now, concern)
        self.suspended[impose] = True
        self.suspended_for[impose] = 0
        self.events.add(impose, m, "suspension")
        self.suspended_for += self.suspended
        lift = np.flatnonzero(self.suspended & (self.suspended_for >= 3) & (self.h > 0.45)
                              & (rng.random(n) < 0.35))
        self.suspended[lift] = False
        self.events.add(lift, m, "suspension_lifted")

    def close(self, m: int, active: np.ndarray, owner_loc: np.ndarray) -> np.ndarray:
        """Closures: failing services, owners in distress, suspended services."""
        hazard = (0.0007 * np.exp(-self.w.demand * 15) + 0.03 / (1 + np.exp((self.h - 0.22) / 0.04))
                  + 0.010 * owner_loc + 0.006 * self.suspended)
        close = np.flatnonzero(active & (self.rng.random(self.w.n) < hazard))
        self.closed[close] = m
        self.events.add(close, m, "closure")
        return close


def simulate(world: World) -> Simulation:
    rng = np.random.default_rng([world.seed, 1, 2026])
    n, T = world.n, world.scale.months
    first = month_index(LAST_PERIOD) - T + 1
    market = _Market(world, rng, first)
    out = {k: np.zeros((T, n), dt) for k, dt in (
        ("health", np.float32), ("staffing", bool), ("manager", bool), ("fee", bool),
        ("owner", bool), ("suspended", bool), ("active", bool), ("true_rank", np.int8))}
    for t in range(T):
        m = first + t
        active = (world.registered_month <= m) & (market.closed > m)
        owner_loc = market.causes(m, active)
        impose_now = market.publish(m, active)
        market.inspect(m, active)
        market.council(m, active, impose_now)
        closed_now = market.close(m, active, owner_loc)
        for key, value in (("health", market.h), ("staffing", market.staffing > 0),
                           ("manager", market.manager > 0), ("fee", market.fee > 0),
                           ("owner", owner_loc), ("suspended", market.suspended),
                           ("active", active), ("true_rank", rank_of(market.smooth))):
            out[key][t] = value
        market.suspended[closed_now] = False
    return Simulation(world, first, closed_month=market.closed, reports=market.reports.arrays(),
                      events=market.events.arrays(), **out)
