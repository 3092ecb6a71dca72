"""The demo council's contingency register, as frames: reviews of its plans for the failure of the
providers with the most services in its area (the largest first; every third found not to hold a
plan, and some reviews overdue at the demo's last day), and one CQC Market Oversight notice (s.55)
against the largest provider, the nearest thing the demo has to a national brand."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from market_oversight.demo.scales import month_start
from market_oversight.demo.simulate import Simulation

PLANNED = 8          # reviews for this many of the largest providers
OWNERS = ("Head of commissioning", "Market oversight lead", "Quality assurance manager")
SCHEMAS = {
    "contingency_plans": {"plan_id": pl.String, "provider_id": pl.String, "plan_held": pl.Boolean,
                          "owner": pl.String, "reviewed_on": pl.Date, "next_review_on": pl.Date,
                          "note": pl.String, "created_at": pl.Datetime("us")},
    "oversight_notices": {"notice_id": pl.String, "provider_id": pl.String, "notice_on": pl.Date,
                          "kind": pl.String, "note": pl.String, "created_at": pl.Datetime("us")},
}


def _id(seed: int, *parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "market-oversight-demo-contingency:" + ":".join(map(str, (seed, *parts)))))


def _ts(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 11, 0)


def contingency(sim: Simulation, council: int = 0) -> dict[str, pl.DataFrame]:
    """The register's demo rows (by 'demo' when written), keyed by table name. Of the providers
    reviewed, the second and every fourth after it are overdue at the demo's last day."""
    w = sim.world
    last_day = month_start(sim.first_month + sim.months) - timedelta(days=1)
    sizes = np.bincount(w.provider_index[w.council == council], minlength=w.provider_count)
    largest = [int(p) for p in np.argsort(-sizes, kind="stable")[:PLANNED] if sizes[p] >= 2]
    providers = w.provider_ids()
    plans = []
    for n, p in enumerate(largest):
        overdue = n % 4 == 1
        reviewed = last_day - timedelta(days=200 + 9 * n if overdue else 40 + 9 * n)
        due = last_day - timedelta(days=14 + n) if overdue else reviewed + timedelta(days=182)
        plans.append({"plan_id": _id(w.seed, "plan", p), "provider_id": str(providers[p]),
                      "plan_held": n % 3 != 2, "owner": OWNERS[n % len(OWNERS)], "reviewed_on": reviewed,
                      "next_review_on": due,
                      "note": "Plan tested at the winter exercise" if n % 3 != 2 else "Plan to be written with the ICB",
                      "created_at": _ts(reviewed)})
    notices = []
    if largest:
        on = last_day - timedelta(days=10)
        notices.append({"notice_id": _id(w.seed, "notice", largest[0]), "provider_id": str(providers[largest[0]]),
                        "notice_on": on, "kind": "sustainability_plan",
                        "note": "CQC asked the group for a sustainability plan within 28 days", "created_at": _ts(on)})
    return {"contingency_plans": pl.DataFrame(plans, schema=SCHEMAS["contingency_plans"]),
            "oversight_notices": pl.DataFrame(notices, schema=SCHEMAS["oversight_notices"])}
