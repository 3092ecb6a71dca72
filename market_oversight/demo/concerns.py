"""The demo council's provider concerns, as frames: one for each casework table of the concerns
process, made from the simulation's events and the demo's placement suspensions.

- every suspension has a concern: enhanced monitoring three weeks before, serious concerns from the
  day placements were suspended, closed when they resumed; the latest one still open is escalated
  to a large-scale enquiry a month later;
- a staffing crisis or a downgrade in the last half year, at a service with no suspension open,
  puts it under enhanced monitoring (the first at a provider with several services: the provider);
- open concerns have multi-agency meetings, an improvement plan and a linked enquiry reference.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from market_oversight.demo.scales import month_start
from market_oversight.demo.simulate import EVENT_TYPES, Simulation
from market_oversight.demo.world import OTHER

MONITORED = 6        # at most this many services under enhanced monitoring alone
AGENCIES = (["CQC", "ICB"], ["CQC", "ICB", "Healthwatch"], ["CQC", "ICB", "Police"])
SCHEMAS = {
    "concerns": {"concern_id": pl.String, "location_id": pl.String, "provider_id": pl.String,
                 "opened_on": pl.Date, "lead_officer": pl.String, "agencies": pl.List(pl.String),
                 "closed_on": pl.Date, "close_reason": pl.String, "created_at": pl.Datetime("us")},
    "concern_stages": {"stage_id": pl.String, "concern_id": pl.String, "stage": pl.String,
                       "entered_on": pl.Date, "reason": pl.String, "created_at": pl.Datetime("us")},
    "concern_meetings": {"meeting_id": pl.String, "concern_id": pl.String, "meeting_date": pl.Date,
                         "attendees": pl.String, "decisions": pl.String, "created_at": pl.Datetime("us")},
    "concern_actions": {"plan_action_id": pl.String, "concern_id": pl.String, "title": pl.String,
                        "owner": pl.String, "due_date": pl.Date, "done_on": pl.Date,
                        "created_at": pl.Datetime("us")},
    "concern_enquiries": {"enquiry_id": pl.String, "concern_id": pl.String, "reference": pl.String,
                          "enquiry_date": pl.Date, "created_at": pl.Datetime("us")},
}


def _id(seed: int, *parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "market-oversight-demo-concern:" + ":".join(map(str, (seed, *parts)))))


def _ts(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 10, 0)


class _Frames:
    """The rows of every table, added concern by concern."""

    def __init__(self, seed: int, last_day: date) -> None:
        self.seed, self.last_day = seed, last_day
        self.rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}

    def concern(self, key: str, opened: date, closed: date | None, *, location_id: str | None = None,
                provider_id: str | None = None) -> str:
        cid = _id(self.seed, "concern", key)
        n = len(self.rows["concerns"])
        self.rows["concerns"].append({
            "concern_id": cid, "location_id": location_id, "provider_id": provider_id, "opened_on": opened,
            "lead_officer": ("Priya Shah", "Tom Okafor", "Ruth Evans")[n % 3], "agencies": AGENCIES[n % 3],
            "closed_on": closed, "close_reason": "Improvement plan completed; placements resumed" if closed else None,
            "created_at": _ts(opened)})
        return cid

    def stage(self, cid: str, stage: str, on: date, reason: str) -> None:
        if on <= self.last_day:
            self.rows["concern_stages"].append({"stage_id": _id(self.seed, "stage", cid, stage), "concern_id": cid,
                                                "stage": stage, "entered_on": on, "reason": reason,
                                                "created_at": _ts(on)})

    def work(self, cid: str, opened: date, closed: date | None, n: int) -> None:
        """Meetings every six weeks while open, a two-action plan, one linked enquiry."""
        end = min(closed or self.last_day, self.last_day)
        day, k = opened + timedelta(days=7), 0
        while day <= end and k < 4:
            self.rows["concern_meetings"].append({
                "meeting_id": _id(self.seed, "meeting", cid, k), "concern_id": cid, "meeting_date": day,
                "attendees": "Council quality assurance, ICB quality lead, CQC inspector, provider's director",
                "decisions": ("Weekly monitoring visits; provider to send daily staffing figures",
                              "Improvement plan agreed; review in six weeks")[k % 2], "created_at": _ts(day)})
            day, k = day + timedelta(days=42), k + 1
        for j, (title, owner) in enumerate((("Recruit a permanent registered manager", "Provider"),
                                            ("Medication audit by the ICB pharmacist", "ICB"))):
            due = opened + timedelta(days=60 * (j + 1))
            done = due - timedelta(days=5) if (closed or due + timedelta(days=30) <= self.last_day) else None
            self.rows["concern_actions"].append({
                "plan_action_id": _id(self.seed, "action", cid, j), "concern_id": cid, "title": title,
                "owner": owner, "due_date": due, "done_on": done if done and done <= self.last_day else None,
                "created_at": _ts(opened)})
        self.rows["concern_enquiries"].append({
            "enquiry_id": _id(self.seed, "enquiry", cid), "concern_id": cid,
            "reference": f"SG-{opened.year}/{1000 + n:04d}", "enquiry_date": opened, "created_at": _ts(opened)})

    def frames(self) -> dict[str, pl.DataFrame]:
        return {name: pl.DataFrame(rows, schema=SCHEMAS[name]) for name, rows in self.rows.items()}


def concerns(sim: Simulation, suspensions: pl.DataFrame, council: int = 0) -> dict[str, pl.DataFrame]:
    """Every concerns table's demo rows (by 'demo' when written), keyed by table name."""
    w = sim.world
    last_day = month_start(sim.first_month + sim.months) - timedelta(days=1)
    out = _Frames(w.seed, last_day)
    ordered = suspensions.sort("imposed_on", "location_id")
    open_rows = ordered.filter(pl.col("lifted_on").is_null())
    escalated = open_rows["suspension_id"][-1] if open_rows.height else None
    for n, s in enumerate(ordered.iter_rows(named=True)):
        opened = s["imposed_on"] - timedelta(days=21)
        cid = out.concern(s["suspension_id"], opened, s["lifted_on"], location_id=s["location_id"])
        out.stage(cid, "enhanced_monitoring", opened, "Safeguarding alerts and a poor council visit")
        out.stage(cid, "serious_concerns", s["imposed_on"], "Concerns not resolved: placements suspended")
        if s["suspension_id"] == escalated:
            out.stage(cid, "large_scale_enquiry", s["imposed_on"] + timedelta(days=30),
                      "Several residents affected: organisational safeguarding enquiry (s.42)")
        out.work(cid, opened, s["lifted_on"], n)
    _monitored(sim, out, set(open_rows["location_id"]), council, len(ordered))
    return out.frames()


def _monitored(sim: Simulation, out: _Frames, suspended: set[str], council: int, n: int) -> None:
    """Enhanced monitoring for recent trouble at services with no suspension open."""
    w, ev = sim.world, sim.events
    ids, providers = w.location_ids(), w.provider_ids()
    recent = ev["month"] >= sim.first_month + sim.months - 6
    wanted = np.isin(ev["type"], [EVENT_TYPES.index("staffing_crisis"), EVENT_TYPES.index("downgrade")])
    chosen: list[int] = []
    for k in np.flatnonzero(recent & wanted):
        loc = int(ev["loc"][k])
        if w.council[loc] == council and ids[loc] not in suspended and loc not in chosen and w.kind[loc] != OTHER:
            chosen.append(loc)
            if len(chosen) == MONITORED:
                break
    sizes = np.bincount(w.provider_index[w.council == council], minlength=w.provider_count)
    by_provider = next((loc for loc in chosen if sizes[w.provider_index[loc]] >= 3), None)
    for j, loc in enumerate(chosen):
        k = int(np.flatnonzero(recent & wanted & (ev["loc"] == loc))[0])
        opened = min(month_start(int(ev["month"][k])).replace(day=int(ev["day"][k])), out.last_day)
        about = ({"provider_id": str(providers[w.provider_index[loc]])} if loc == by_provider
                 else {"location_id": str(ids[loc])})
        cid = out.concern(f"monitor-{loc}", opened, None, **about)
        out.stage(cid, "enhanced_monitoring", opened, "Staffing crisis and a falling rating: monitoring visits")
        out.work(cid, opened, None, n + j)
