"""What providers report each month: the returns that follow, with noise, from hidden health.

Returns respond to the hidden state within the month (occupancy falls, agency share and vacancies
rise, packages are handed back, safeguarding concerns grow) but noisily, and some never arrive,
arrive late, arrive malformed, or are corrected later. Vectorised over (month, location) pairs.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from market_oversight.demo.scales import AS_OF, month_start
from market_oversight.demo.simulate import Simulation
from market_oversight.demo.world import CARE_HOME, HOME_CARE

CARE_HOME_COLUMNS = (
    "location_id", "period", "beds", "occupied_beds", "vacant_beds_accepting",
    "accepting_admissions", "nurses_employed", "care_workers_employed", "agency_staff",
    "hours_paid", "agency_hours", "overtime_hours", "absence_hours", "staff_vacancies", "leavers",
    "safeguarding_concerns", "complaints", "notifiable_incidents", "residents_council",
    "residents_nhs", "residents_self_funded", "residents_other_councils", "submitted_at",
)
# Other councils' placements: a third of the homes give them (the column is optional), taken from
# the residents otherwise counted self-funded, by a generator of their own so that every other
# figure of the demo is drawn as before.
OTHER_COUNCILS_SHARE = 0.25
HOME_CARE_COLUMNS = (
    "location_id", "period", "people_council", "people_nhs", "people_self_funded",
    "hours_delivered", "agency_hours", "care_workers_employed", "vacancies", "leavers",
    "packages_handed_back", "packages_handed_back_pct", "can_take_more_hours",
    "extra_hours_available", "missed_visits", "late_visits", "safeguarding_concerns",
    "complaints", "submitted_at",
)
FAULTS = ("negative_count", "over_capacity", "text_in_number", "unknown_location")


def _pairs(sim: Simulation, kind: int) -> tuple[np.ndarray, np.ndarray]:
    mask = sim.active & (sim.world.kind == kind)[None, :]
    t, loc = np.nonzero(mask)
    return t, loc


def _state(sim: Simulation, t: np.ndarray, loc: np.ndarray) -> dict[str, np.ndarray]:
    return {"h": sim.health[t, loc].astype(float), "staff": sim.staffing[t, loc].astype(float),
            "mgr": sim.manager[t, loc].astype(float), "fee": sim.fee[t, loc].astype(float),
            "owner": sim.owner[t, loc].astype(float), "susp": sim.suspended[t, loc]}


def _split(rng, total: np.ndarray, council: np.ndarray, nhs: np.ndarray):
    c = rng.binomial(total, np.clip(council + rng.normal(0, 0.03, len(total)), 0, 1))
    n = rng.binomial(total - c, np.clip(nhs / np.maximum(1 - council, 0.05), 0, 1))
    return c, n, total - c - n


def care_home_values(rng, sim: Simulation) -> pl.DataFrame:
    t, loc = _pairs(sim, CARE_HOME)
    w, s, k = sim.world, _state(sim, t, loc), len(t)
    beds = w.beds[loc]
    occ = np.clip(0.64 + 0.30 * s["h"] + w.demand[loc] - 0.05 * s["owner"] - 0.04 * s["fee"] - 0.06 * s["susp"]
                  + rng.normal(0, 0.025, k), 0.25, 1.0)
    occupied = np.round(beds * occ).astype(np.int64)
    accepting = ~s["susp"] & (rng.random(k) > 0.25 * (s["h"] < 0.35))
    vacant_accepting = np.where(accepting, rng.binomial(beds - occupied, 0.85), 0)
    establishment = np.round(beds * rng.uniform(1.0, 1.25, k)).astype(np.int64)
    vacancy_rate = np.clip(0.05 + 0.10 * s["staff"] + 0.06 * (1 - s["h"]) + rng.normal(0, 0.025, k), 0, 0.6)
    vacancies = np.round(establishment * vacancy_rate).astype(np.int64)
    employed = np.maximum(establishment - vacancies, 1)
    nurses = np.where(w.nursing[loc], np.round(employed * 0.16), 0).astype(np.int64)
    care_workers = employed - nurses
    hours_paid = np.round(employed * rng.normal(128, 8, k), 1)
    agency_share = np.clip(0.02 + 0.12 * s["staff"] + 0.05 * s["mgr"] + 0.10 * (1 - s["h"])
                           + rng.normal(0, 0.015, k), 0, 0.7)
    agency_hours = np.round(hours_paid * agency_share, 1)
    council, nhs, self_funded = _split(rng, occupied, w.council_share[loc], w.nhs_share[loc])
    return pl.DataFrame({
        "loc": loc, "t": t,
        "beds": beds, "occupied_beds": occupied, "vacant_beds_accepting": vacant_accepting,
        "accepting_admissions": accepting, "nurses_employed": nurses,
        "care_workers_employed": care_workers,
        "agency_staff": np.round(agency_hours / 140).astype(np.int64),
        "hours_paid": hours_paid, "agency_hours": agency_hours,
        "overtime_hours": np.round(hours_paid * np.clip(0.04 + 0.05 * s["staff"] + rng.normal(0, 0.01, k), 0, 1), 1),
        "absence_hours": np.round(hours_paid * np.clip(0.04 + 0.03 * (1 - s["h"]) + rng.normal(0, 0.01, k), 0, 1), 1),
        "staff_vacancies": vacancies,
        "leavers": rng.poisson(employed * (0.018 + 0.025 * s["staff"] + 0.015 * s["mgr"])),
        "safeguarding_concerns": rng.poisson(beds * (0.004 + 0.035 * (1 - s["h"]) ** 2)),
        "complaints": rng.poisson(beds * (0.004 + 0.012 * (1 - s["h"]))),
        "notifiable_incidents": rng.poisson(beds * (0.01 + 0.02 * (1 - s["h"]))),
        "residents_council": council, "residents_nhs": nhs, "residents_self_funded": self_funded,
    }).with_columns(_reporting(rng, sim, t, loc, s)).pipe(_other_councils, sim, loc)


def _other_councils(frame: pl.DataFrame, sim: Simulation, loc: np.ndarray) -> pl.DataFrame:
    placed = np.random.default_rng([sim.world.seed, 21]).binomial(
        frame["residents_self_funded"].to_numpy(), OTHER_COUNCILS_SHARE)
    gives = pl.Series(loc % 3 == 0)
    return frame.with_columns(
        pl.when(gives).then(pl.col("residents_self_funded") - pl.Series(placed))
        .otherwise(pl.col("residents_self_funded")).alias("residents_self_funded"),
        pl.when(gives).then(pl.Series(placed)).otherwise(None).alias("residents_other_councils"),
    )


def home_care_values(rng, sim: Simulation) -> pl.DataFrame:
    t, loc = _pairs(sim, HOME_CARE)
    w, s, k = sim.world, _state(sim, t, loc), len(t)
    people = np.round(w.beds[loc] * np.clip(0.72 + 0.22 * s["h"] - 0.1 * s["susp"]
                                            + rng.normal(0, 0.04, k), 0.2, 1.1)).astype(np.int64)
    council, nhs, self_funded = _split(rng, people, w.council_share[loc] + 0.15, w.nhs_share[loc])
    hours = np.round(people * rng.normal(42, 4, k), 1)
    agency_share = np.clip(0.01 + 0.10 * s["staff"] + 0.04 * s["mgr"] + 0.04 * (1 - s["h"])
                           + rng.normal(0, 0.015, k), 0, 0.6)
    workers = np.maximum(np.round(hours / rng.normal(105, 10, k)), 1).astype(np.int64)
    handed = rng.poisson(people * (0.002 + 0.03 * s["staff"] + 0.04 * (1 - s["h"]) ** 2))
    handed = np.minimum(handed, people)
    can_more = rng.random(k) < np.clip(0.85 - 0.6 * s["staff"] - 0.9 * (1 - s["h"]) ** 2, 0.02, 1)
    return pl.DataFrame({
        "loc": loc, "t": t,
        "people_council": council, "people_nhs": nhs, "people_self_funded": self_funded,
        "hours_delivered": hours, "agency_hours": np.round(hours * agency_share, 1),
        "care_workers_employed": workers,
        "vacancies": np.round(workers * np.clip(0.06 + 0.12 * s["staff"] + 0.05 * (1 - s["h"])
                                                + rng.normal(0, 0.03, k), 0, 0.7)).astype(np.int64),
        "leavers": rng.poisson(workers * (0.025 + 0.03 * s["staff"] + 0.015 * s["mgr"])),
        "packages_handed_back": handed,
        "packages_handed_back_pct": np.round(100 * handed / np.maximum(people, 1), 1),
        "can_take_more_hours": can_more,
        "extra_hours_available": np.where(can_more, np.round(people * rng.uniform(0.5, 4, k)), 0.0),
        "missed_visits": rng.poisson(hours / 1000 * (0.3 + 5 * (1 - s["h"]) ** 2 + 2 * s["staff"])),
        "late_visits": rng.poisson(hours / 1000 * (2 + 12 * (1 - s["h"]) ** 2 + 5 * s["staff"])),
        "safeguarding_concerns": rng.poisson(people * (0.002 + 0.02 * (1 - s["h"]) ** 2)),
        "complaints": rng.poisson(people * (0.003 + 0.01 * (1 - s["h"]))),
    }).with_columns(_reporting(rng, sim, t, loc, s))


def _reporting(rng, sim: Simulation, t, loc, s) -> list[pl.Series]:
    """When (and whether) each return arrives: failing, manager-less services miss and are late."""
    k = len(t)
    diligence = sim.world.diligence[loc]
    p_missing = 0.01 + 0.15 * (1 - diligence) + 0.10 * s["mgr"] + 0.08 * (s["h"] < 0.4)
    p_late = 0.03 + 0.35 * (1 - diligence) + 0.12 * s["mgr"] + 0.08 * s["staff"]
    late = rng.random(k) < p_late
    days = np.where(late, 14 + rng.geometric(0.06, k), rng.integers(1, 15, k))
    due_base = np.array([_following_month(sim.first_month + i) for i in range(sim.months)],
                        dtype="datetime64[s]")
    seconds = rng.integers(7 * 3600, 19 * 3600, k)
    submitted = due_base[t] + (days - 1).astype("timedelta64[D]") + seconds.astype("timedelta64[s]")
    received = (rng.random(k) >= p_missing) & (submitted <= np.datetime64(AS_OF.isoformat() + "T23:59:59"))
    return [pl.Series("submitted_at", submitted.astype("datetime64[ms]")), pl.Series("received", received)]


def _following_month(index: int) -> datetime:
    d = month_start(index + 1)
    return datetime(d.year, d.month, 1)


def with_faults(rng, frame: pl.DataFrame, *, care_home: bool,
                resubmit_share: float = 0.3) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mark a realistic share of received rows as malformed, and pick the rows that are later
    corrected in a resubmission. Returns (originals with a `fault` column, resubmitted rows)."""
    frame = frame.filter(pl.col("received")).drop("received")
    k = frame.height
    faulty = rng.random(k) < 0.012
    fault = np.where(faulty, np.array(FAULTS)[rng.integers(0, len(FAULTS), k)], "")
    # Resubmissions cluster: in some months the council chases corrections, in others not.
    chase_month = rng.random(int(frame["t"].max() or 0) + 1) < resubmit_share
    t = frame["t"].to_numpy()
    resubmitted = chase_month[t] & ((faulty & (fault != "unknown_location")) | (rng.random(k) < 0.03))
    frame = frame.with_columns(pl.Series("fault", fault).replace("", None),
                               pl.Series("resubmitted", resubmitted))
    later = frame.filter(pl.col("resubmitted"))
    delay = pl.Series(rng.integers(5, 40, later.height)).cast(pl.Duration("ms")) * 86_400_000
    fixed = later.with_columns(pl.col("submitted_at") + delay, pl.lit(None, pl.String).alias("fault"))
    fixed = fixed.filter(pl.col("submitted_at") <= datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59))
    changed = "occupied_beds" if care_home else "hours_delivered"
    if not care_home:
        fixed = fixed.with_columns((pl.col(changed) * 1.02).round(1))
    else:
        fixed = fixed.with_columns(pl.max_horizontal(pl.col(changed) - 1, 0).alias(changed))
    return frame, fixed
