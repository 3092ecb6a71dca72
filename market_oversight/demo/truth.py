"""The hidden truth (for backtests only) and the council's casework, as frames from the simulation."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from market_oversight.demo.scales import month_start
from market_oversight.demo.simulate import EVENT_TYPES, RATING_LABELS, Simulation, rank_of

_TRUTH_EVENTS = tuple(t for t in EVENT_TYPES if t != "suspension_lifted")
_RATING = pl.Series([None, *[RATING_LABELS[r] for r in (1, 2, 3, 4)]], dtype=pl.String)


def _periods(sim: Simulation) -> pl.Series:
    return pl.Series([month_start(sim.first_month + t) for t in range(sim.months)], dtype=pl.Date)


def truth_months(sim: Simulation) -> pl.DataFrame:
    """One row per location and month while registered and open."""
    t, loc = np.nonzero(sim.active)
    return pl.DataFrame({
        "location_id": sim.world.location_ids()[loc],
        "period": _periods(sim).gather(t),
        "health": np.round(sim.health[t, loc].astype(np.float64), 4),
        "staffing_crisis": sim.staffing[t, loc], "manager_absent": sim.manager[t, loc],
        "fee_pressure": sim.fee[t, loc], "owner_distress": sim.owner[t, loc],
        "suspended": sim.suspended[t, loc],
        "true_rating": _RATING.gather(sim.true_rank[t, loc].astype(np.int64)),
    })


def _event_dates(sim: Simulation, ev: dict[str, np.ndarray]) -> pl.Series:
    return pl.Series([month_start(int(m)).replace(day=int(d)) for m, d in zip(ev["month"], ev["day"])],
                     dtype=pl.Date)


def truth_events(sim: Simulation) -> pl.DataFrame:
    ev = sim.events
    names = np.array(EVENT_TYPES)[ev["type"]]
    detail = np.where(names == "downgrade", np.array(["", *[RATING_LABELS[r] for r in (1, 2, 3, 4)]])[
        np.clip(ev["detail"], 0, 4)], "")
    frame = pl.DataFrame({
        "location_id": sim.world.location_ids()[ev["loc"]],
        "event_date": _event_dates(sim, ev),
        "event_type": names,
        "detail": pl.Series(detail).replace("", None),
    })
    return frame.filter(pl.col("event_type").is_in(_TRUTH_EVENTS)).sort(
        "event_date", "location_id", "event_type")


def _uuid(seed: int, *parts: object) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, "market-oversight-demo:" + ":".join(map(str, (seed, *parts))))


def _ts(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 9, 0)


def suspensions(sim: Simulation, council: int = 0) -> pl.DataFrame:
    """Placement suspensions the demo council imposed (and lifted), from the true events."""
    ev = sim.events
    ids = sim.world.location_ids()
    dates = _event_dates(sim, ev).to_list()
    rows: list[dict] = []
    open_: dict[int, dict] = {}
    for k in np.argsort(ev["month"] * 100 + ev["day"], kind="stable"):
        loc, name = int(ev["loc"][k]), EVENT_TYPES[int(ev["type"][k])]
        if sim.world.council[loc] != council:
            continue
        if name == "suspension":
            open_[loc] = {"suspension_id": str(_uuid(sim.world.seed, "susp", loc, dates[k])),
                          "location_id": ids[loc], "imposed_on": dates[k],
                          "reason": "Safeguarding and quality concerns: new council placements paused",
                          "lifted_on": None, "lift_reason": None, "lifted_by": None,
                          "created_at": _ts(dates[k])}
            rows.append(open_[loc])
        elif name in ("suspension_lifted", "closure") and loc in open_:
            s = open_.pop(loc)
            s["lifted_on"] = dates[k]
            s["lift_reason"] = ("Improvements verified at a council visit" if name == "suspension_lifted"
                                else "Service closed")
            s["lifted_by"] = "demo"
    still_open = 0
    for k, row in enumerate(rows):
        nursing = bool(sim.world.nursing[int(np.flatnonzero(ids == row["location_id"])[0])])
        # those still in force alternate partial and joint, so the demo shows both today
        row.update(_scope(k if row["lifted_on"] else 1 + still_open % 2, nursing))
        still_open += row["lifted_on"] is None
        row["review_on"] = row["imposed_on"] + timedelta(days=42)
    return pl.DataFrame(rows, schema={
        "suspension_id": pl.String, "location_id": pl.String, "imposed_on": pl.Date,
        "reason": pl.String, "lifted_on": pl.Date, "lift_reason": pl.String,
        "lifted_by": pl.String, "created_at": pl.Datetime("us"), "scope": pl.String,
        "categories": pl.List(pl.String), "review_on": pl.Date})


def _scope(k: int, nursing: bool) -> dict:
    """The k-th suspension's scope: mostly full, every fourth partial (its nursing or dementia
    beds), every fourth joint with the ICB, now and then voluntary."""
    if k % 4 == 1:
        return {"scope": "partial", "categories": ["nursing", "nursing_dementia"] if nursing
                else ["residential_dementia"]}
    if k % 4 == 2:
        return {"scope": "joint", "categories": None}
    if k % 8 == 3:
        return {"scope": "voluntary", "categories": None}
    return {"scope": "full", "categories": None}


def assessments(sim: Simulation, council: int = 0) -> pl.DataFrame:
    """The council's own quality visits: roughly yearly to every commissioned service, sooner when
    the council hears of trouble; the visit's rating reads current health, with an assessor's noise."""
    w = sim.world
    rng = np.random.default_rng([w.seed, 29])
    ids = w.location_ids()
    due = rng.integers(0, 12, w.n)
    rows = []
    for t in range(sim.months):
        trouble = sim.staffing[t] & (rng.random(w.n) < 0.08)
        visit = np.flatnonzero(sim.active[t] & (w.kind != 2) & (w.council == council)
                               & ((t >= due) | trouble))
        due[visit] = t + rng.integers(9, 16, len(visit))
        ratings = rank_of(sim.health[t, visit] + rng.normal(0, 0.09, len(visit)))
        for i, r in zip(visit.tolist(), ratings.tolist()):
            day = month_start(sim.first_month + t).replace(day=int(rng.integers(1, 29)))
            rows.append({"assessment_id": str(_uuid(w.seed, "qa", i, day)), "location_id": ids[i],
                         "visit_date": day, "rating": RATING_LABELS[r],
                         "summary": f"Council quality visit: {RATING_LABELS[r].lower()}",
                         "created_at": _ts(day)})
    return pl.DataFrame(rows, schema={"assessment_id": pl.String, "location_id": pl.String,
                                      "visit_date": pl.Date, "rating": pl.String,
                                      "summary": pl.String, "created_at": pl.Datetime("us")})

