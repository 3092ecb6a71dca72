"""What changed in the care market in one ISO week, as alert items graded by urgency.

Facts come from the SQL files in `sql/alerts/` (one per kind of change, the week's bounds bound as
parameters); the rules that grade a change live here, once. Every item is tied to a date inside the
week, so a change is reported in exactly one week's e-mail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import IntEnum
from typing import Any

import duckdb

from market_oversight import flag_words, fmt, store, vocab
from market_oversight.alerts.standing import RAG_ORDER, Standing, standing_at
from market_oversight.errors import AlertError
from market_oversight.vocab import POOR_RATINGS, RATING_RANK

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        m = _WEEK.match(text.strip())
        if not m:
            raise AlertError(f"--week {text!r} is not an ISO week like 2026-W47")
        year, week = int(m.group(1)), int(m.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise AlertError(f"--week {text!r}: {year} has no week {week}") from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def last_complete(cls, today: date) -> IsoWeek:
        """The latest Monday-to-Sunday week that ended before today."""
        return cls.containing(today - timedelta(days=today.isoweekday()))

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


class Urgency(IntEnum):
    ACT = 0       # act now
    REVIEW = 1    # look at this week
    INFO = 2      # for information

    @property
    def label(self) -> str:
        return {0: "Act now", 1: "Review this week", 2: "For information"}[self.value]


KINDS = {
    "report": "New CQC reports",
    "risk": "Entered red or amber",
    "flags": "New risk flags",
    "returns": "Returns now missing",
    "register": "Registrations and closures",
    "suspension": "Placement suspensions",
    "concern": "Provider concerns",
    "review": "Suspension reviews due",
    "action": "Casework actions overdue",
    "notice": "CQC Market Oversight notices",
    "contingency": "Contingency plan reviews overdue",
}


@dataclass(frozen=True)
class Item:
    """One change at one location, in plain text; the e-mail escapes it when it renders. Who and
    where, the RAG in force at the week's end and the first open casework action are filled in
    from the warehouse after the change itself (`_with_places`)."""
    kind: str
    urgency: Urgency
    location_id: str
    event_date: date
    headline: str
    details: tuple[str, ...] = ()
    location_name: str | None = None
    provider_id: str | None = None
    provider_name: str | None = None
    service_kind: str | None = None
    local_authority: str | None = None
    rag: str | None = None                       # in force at the latest score by the week's end
    likelihood: float | None = None
    impact: float | None = None
    action_title: str | None = None              # the first casework action open at the week's end
    action_owner: str | None = None
    action_due: date | None = None


@dataclass(frozen=True)
class WeekChanges:
    week: IsoWeek
    items: tuple[Item, ...]
    notes: tuple[str, ...] = field(default=())   # caveats, e.g. a source not available yet
    standing: Standing = field(default_factory=Standing)   # where the market stands at the week's end

    def for_route(self, wanted: Callable[[Any], bool]) -> WeekChanges:
        """The changes and the standing position of the locations `wanted` accepts (by their
        `local_authority` and `service_kind`)."""
        return replace(self, items=tuple(i for i in self.items if wanted(i)),
                       standing=self.standing.for_route(wanted))


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cur = store.run(con, f"alerts/{name}", **params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _report_item(r: dict[str, Any]) -> Item:
    overall, before = r["overall"], r["previous_overall"]
    now_rank, before_rank = RATING_RANK.get(overall), RATING_RANK.get(before)
    poor = list(r["poor_key_questions"])
    if now_rank is not None and before_rank is not None and now_rank < before_rank:
        change, urgency = f"downgraded from {before} to {overall}", Urgency.REVIEW
    elif now_rank is not None and before_rank is not None and now_rank > before_rank:
        change, urgency = f"upgraded from {before} to {overall}", Urgency.INFO
    elif before is None:
        change, urgency = f"first rating: {overall}", Urgency.INFO
    else:
        change, urgency = f"{overall}, unchanged", Urgency.INFO
    if overall == "Inadequate" or any(q.endswith(": Inadequate") for q in poor):
        urgency = Urgency.ACT
    elif overall in POOR_RATINGS or poor:
        urgency = min(urgency, Urgency.REVIEW)
    details = []
    if poor:
        details.append("Key questions rated poorly: " + "; ".join(q.replace("_", "-") for q in poor))
    if before is not None:
        details.append(f"Previous overall rating {before} ({r['previous_report_date']:%d %b %Y})")
    if r["date_basis"] == "observed":
        details.append("Report date not published: first seen in the CQC data on this date")
    # The stored report link points into CQC's data API (it needs a key): people get the public
    # location page instead (links.cqc_location_page), so the link stays in the warehouse.
    return Item("report", urgency, r["location_id"], r["report_date"], f"CQC report: {change}", tuple(details))


def _flag_details(flags: list[dict[str, Any]]) -> tuple[str, ...]:
    """Each new flag as the profile words it: its label, its sentence (figures formatted by the
    indicator) and its points; the evidence tables are on the profile, one link away."""
    return tuple(f"New flag: {flag_words.label(f['flag'])}: "
                 f"{flag_words.sentence(f['flag'], f['message'], f['evidence'])} "
                 f"(+{fmt.count(f['points'], 'point')}, {f['domain']})" for f in flags)


def _risk_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    flags: dict[str, list[dict[str, Any]]] = {}
    for f in _rows(con, "new_flags", params):
        flags.setdefault(f["location_id"], []).append(f)
    items = []
    for r in _rows(con, "risk_entered", params):
        before = fmt.rag(r["previous_rag"])
        details = [f"Likelihood {fmt.count(r['likelihood'])} of 100, impact {fmt.impact(r['impact'])} of 100 "
                   f"(score of {fmt.long_date(r['as_of'])}; before: {before})"]
        if r["override_rag"]:
            details.append(f"Contract manager's override: {r['override_rag']} ({r['override_reason']})")
        details.extend(_flag_details(flags.pop(r["location_id"], [])))
        urgency = Urgency.ACT if r["rag"] == "red" else Urgency.REVIEW
        items.append(Item("risk", urgency, r["location_id"], r["as_of"],
                          f"Risk now {fmt.rag(r['rag'])} (was {before})", tuple(details)))
    rag_now = {r["location_id"]: r["rag"] for r in _rows(con, "rag_in_week", params)}
    for location_id, fl in flags.items():
        rag = rag_now.get(location_id, "green")
        urgency = Urgency.REVIEW if rag in ("red", "amber") else Urgency.INFO
        noun = "flag" if len(fl) == 1 else "flags"
        items.append(Item("flags", urgency, location_id, fl[0]["as_of"],
                          f"{len(fl)} new risk {noun} (now {fmt.rag(rag)})", _flag_details(fl)))
    return items


def _returns_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    items = []
    for r in _rows(con, "missing_returns", params):
        kind = "care-home" if r["service_kind"] == "care_home" else "home-care"
        later = f" (it arrived later, on {r['received_at']:%d %b %Y})" if r["received_at"] else ""
        items.append(Item("returns", Urgency.REVIEW, r["location_id"], r["due_date"] + timedelta(days=1),
                          f"Monthly {kind} return for {r['period']:%B %Y} missing",
                          (f"Due {r['due_date']:%d %b %Y}; not received by "
                           f"{params['week_end']:%d %b %Y}{later}",)))
    return items


def _register_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    items = []
    for r in _rows(con, "register_changes", params):
        if r["change"] == "deregistered":
            items.append(Item("register", Urgency.ACT, r["location_id"], r["event_date"],
                              "Deregistered with CQC (closed)"))
        else:
            items.append(Item("register", Urgency.INFO, r["location_id"], r["event_date"],
                              "Newly registered with CQC"))
    return items


def _suspension_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    items = []
    for r in _rows(con, "suspensions", params):
        imposed = r["change"] == "imposed"
        reason = r["reason"] or "no reason recorded"
        details = [f"Reason: {reason} (by {r['by_whom']})",
                   f"Scope: {fmt.suspension_scope(r['scope'], r['categories'])}"]
        if imposed:
            details.append(f"Review on {fmt.long_date(r['review_on'])}" if r["review_on"] else "No review date set")
        items.append(Item("suspension", Urgency.ACT if imposed else Urgency.INFO, r["location_id"],
                          r["event_date"],
                          "Placement suspension imposed" if imposed else "Placement suspension lifted",
                          tuple(details)))
    return items


def _concern_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    """A stage entered: red-floor stages (serious concerns, a large-scale enquiry) act now, enhanced
    monitoring is for review, a step down for information."""
    items = []
    for r in _rows(con, "concern_stages", params):
        stage, before = r["stage"], r["previous_stage"]
        down = before is not None and vocab.CONCERN_STAGES.index(stage) < vocab.CONCERN_STAGES.index(before)
        words = fmt.concern_stage(stage).lower()
        if down:
            headline, urgency = f"Stepped down to {words}", Urgency.INFO
        else:
            headline = f"Entered {words}"
            urgency = Urgency.REVIEW if stage == vocab.CONCERN_STAGES[0] else Urgency.ACT
        details = [f"Reason: {r['reason']} (by {r['by_whom']})",
                   f"Before: {fmt.concern_stage(before).lower()}" if before else "A new concern"]
        if r["about_provider"]:
            details.append("The concern is about the provider: every one of its services")
        items.append(Item("concern", urgency, r["location_id"], r["event_date"], headline, tuple(details)))
    return items


def _review_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    return [Item("review", Urgency.REVIEW, r["location_id"], r["review_on"], "Placement suspension review due",
                 (f"{fmt.suspension_scope(r['scope'], r['categories'])} suspension since "
                  f"{fmt.long_date(r['imposed_on'])} (by {r['imposed_by']})",))
            for r in _rows(con, "suspension_reviews", params)]


def _action_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    return [Item("action", Urgency.REVIEW, r["location_id"], r["due_date"] + timedelta(days=1),
                 f"Action overdue: {r['title']}", (f"Owner {r['owner']}; due {r['due_date']:%d %b %Y}",))
            for r in _rows(con, "overdue_actions", params)]


def _contingency_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    """A provider's contingency-plan review overdue (review this week), at each of its services; a
    Market Oversight notice (act now: CQC thinks the provider may fail)."""
    items = [Item("contingency", Urgency.REVIEW, r["location_id"], r["next_review_on"] + timedelta(days=1),
                  "Contingency plan review overdue" if r["plan_held"] else "No contingency plan: review overdue",
                  (f"Owner {r['owner']}; last reviewed {fmt.long_date(r['reviewed_on'])}, next review was due "
                   f"{fmt.long_date(r['next_review_on'])}",
                   "The register is the provider's: every one of its services"))
             for r in _rows(con, "contingency_reviews", params)]
    items += [Item("notice", Urgency.ACT, r["location_id"], r["notice_on"],
                   f"CQC Market Oversight notice: {fmt.oversight_notice(r['kind'])}",
                   (f"Note: {r['note']} (recorded by {r['recorded_by']})",
                    "The notice is about the provider: every one of its services"))
              for r in _rows(con, "oversight_notices", params)]
    return items


def _has_view(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return name in {r["table_name"] for r in _rows(con, "relations_in_schema", {"schema": schema})}


def week_changes(con: duckdb.DuckDBPyConnection, week: IsoWeek) -> WeekChanges:
    """Every change in the week, with who and where, most urgent and then most at risk first, and
    where the market stands at its end. `con` is a warehouse connection opened read-write just
    before (so the casework mirror is fresh)."""
    params = {"week_start": week.start, "week_end": week.end}
    notes: list[str] = []
    items = _report_items(con, params) + _risk_items(con, params)
    if _has_view(con, "mart", "expected_returns"):
        items += _returns_items(con, params)
    else:
        notes.append("Missing returns were not checked: this warehouse has no expected-returns mart.")
    items += _register_items(con, params) + _suspension_items(con, params) + _action_items(con, params)
    items += _concern_items(con, params) + _review_items(con, params) + _contingency_items(con, params)
    return WeekChanges(week, tuple(_sorted(_with_places(con, items, params))), tuple(notes),
                       standing_at(con, week))


def _report_items(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[Item]:
    return [_report_item(r) for r in _rows(con, "new_reports", params | {"poor_ratings": vocab.sql_params()["poor_ratings"]})]


_PLACE_FIELDS = ("location_name", "provider_id", "provider_name", "service_kind", "local_authority", "rag",
                 "likelihood", "impact", "action_title", "action_owner", "action_due")


def _with_places(con: duckdb.DuckDBPyConnection, items: list[Item], params: dict[str, Any]) -> list[Item]:
    ids = sorted({i.location_id for i in items})
    places = ({r["location_id"]: r for r in _rows(con, "locations", {"location_ids": ids,
                                                                    "week_end": params["week_end"]})}
              if ids else {})
    return [replace(item, **{f: places.get(item.location_id, {}).get(f) for f in _PLACE_FIELDS})
            for item in items]


def risk_order(item: Item) -> tuple:
    """Most at risk first: red, amber, green, not scored; then likelihood, then impact, highest first."""
    return (RAG_ORDER.get(item.rag or "", len(RAG_ORDER)), -(item.likelihood or 0), -(item.impact or 0))


def _sorted(items: list[Item]) -> list[Item]:
    order = list(KINDS)
    return sorted(items, key=lambda i: (i.urgency, *risk_order(i), order.index(i.kind),
                                        (i.location_name or "").casefold(), i.location_id, i.event_date))
