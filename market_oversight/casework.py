"""Casework: notes, actions, quality visits, placement suspensions and RAG overrides.

Every write takes the signed-in user, checks the role itself (a hidden button is never the only
guard), runs in one short transaction on the casework file, and appends an audit-log row saying
who did what to which location. RAG overrides are the risk module's (`risk.overrides`); this
module only adds the role check in front of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from market_oversight import audit, fmt, roles, store
from market_oversight.errors import CaseworkError, NotFound
from market_oversight.risk import overrides
from market_oversight.roles import Permission, User
from market_oversight.vocab import CARE_CATEGORIES, RAG, RATINGS, SUSPENSION_SCOPES

ACTION_STATUSES = ("open", "done", "cancelled")


def _first(con: duckdb.DuckDBPyConnection, name: str, params: dict, *, all_rows: bool = False):
    """The first row (or every row) of statement `sql/<name>.sql`, fetched to the end: duckdb 2.0
    refuses new work on a connection while a result is unfinished."""
    rows = store.run(con, name, **params).fetchall()
    return rows if all_rows else (rows[0] if rows else None)


def _text(value: str | None, what: str, how: str) -> str:
    text = (value or "").strip()
    if not text:
        raise CaseworkError(f"Enter {what}: {how}")
    return text


def _not_future(day: date | None, what: str, today: date | None) -> date:
    """A date a caseworker records as having happened: given, and not after today."""
    if day is None:
        raise CaseworkError(f"Enter the date {what}")
    if day > (today or date.today()):
        raise CaseworkError(f"The date {what} ({fmt.long_date(day)}) is in the future: record it once it has happened")
    return day


def _audit(con: duckdb.DuckDBPyConnection, user: User, action: str, target: str, detail: dict, *,
           row: tuple[str, str]) -> None:
    """The audit row for a write, sealing the casework row it left (table, key)."""
    audit.record(con, user.email, action, target, detail, row=row)


def add_note(db: Path, user: User, location_id: str, body: str) -> str:
    roles.require(user, Permission.CASEWORK)
    body = _text(body, "the note", "what was found, said or agreed")
    with store.casework(db) as con, store.transaction(con):
        note_id = _first(con, "queries/casework_insert_note", {
            "location_id": location_id, "body": body, "author": user.email})[0]
        _audit(con, user, "note_added", location_id, {"note_id": note_id}, row=("notes", note_id))
    return note_id


def add_action(db: Path, user: User, location_id: str, title: str, owner: str, due_date: date | None,
               *, today: date | None = None) -> str:
    roles.require(user, Permission.CASEWORK)
    title = _text(title, "what needs doing", "for example 'Visit to check medication records'")
    owner = _text(owner, "who owns the action", "a name or e-mail address")
    if due_date is None:
        raise CaseworkError("Enter a due date for the action")
    if due_date < (today or date.today()):
        raise CaseworkError(f"The due date {fmt.long_date(due_date)} is in the past: enter today or a later date")
    with store.casework(db) as con, store.transaction(con):
        action_id = _first(con, "queries/casework_insert_action", {
            "location_id": location_id, "title": title, "owner": owner, "due_date": due_date,
            "created_by": user.email})[0]
        _audit(con, user, "action_added", location_id,
               {"action_id": action_id, "owner": owner, "due_date": due_date}, row=("actions", action_id))
    return action_id


def set_action_status(db: Path, user: User, action_id: str, status: str) -> None:
    roles.require(user, Permission.CASEWORK)
    if status not in ACTION_STATUSES:
        raise CaseworkError(f"Action status must be one of {', '.join(ACTION_STATUSES)}, not {status!r}")
    with store.casework(db) as con, store.transaction(con):
        row = _first(con, "queries/casework_update_action", {
            "status": status, "updated_by": user.email, "action_id": action_id})
        if row is None:
            raise NotFound(f"There is no action with ID {action_id}; reload the page to see current actions")
        _audit(con, user, "action_status", row[0], {"action_id": action_id, "status": status},
               row=("actions", action_id))


def record_visit(db: Path, user: User, location_id: str, visit_date: date | None, rating: str,
                 summary: str, *, today: date | None = None) -> str:
    roles.require(user, Permission.CASEWORK)
    if visit_date is None:
        raise CaseworkError("Enter the date of the visit")
    if visit_date > (today or date.today()):
        raise CaseworkError(f"The visit date {fmt.long_date(visit_date)} is in the future: "
                            "record a visit once it has happened")
    if rating not in RATINGS:
        raise CaseworkError(f"Choose the council's rating from: {', '.join(RATINGS)}")
    with store.casework(db) as con, store.transaction(con):
        visit_id = _first(con, "queries/casework_insert_visit", {
            "location_id": location_id, "visit_date": visit_date, "rating": rating,
            "summary": (summary or "").strip() or None, "assessor": user.email})[0]
        _audit(con, user, "quality_visit", location_id, {"assessment_id": visit_id, "rating": rating},
               row=("quality_assessments", visit_id))
    return visit_id


def _scope(scope: str, categories: tuple[str, ...] | list[str]) -> list[str] | None:
    """The care categories a suspension of this scope stops: some for a partial one, none otherwise."""
    if scope not in SUSPENSION_SCOPES:
        raise CaseworkError(f"Choose the suspension's scope from: {', '.join(SUSPENSION_SCOPES)}")
    unknown = sorted(set(categories) - set(CARE_CATEGORIES))
    if unknown:
        raise CaseworkError(f"Unknown care categories {', '.join(unknown)}: choose from {', '.join(CARE_CATEGORIES)}")
    if scope == "partial" and not categories:
        raise CaseworkError("Choose the kinds of care a partial suspension stops, for example nursing")
    if scope != "partial" and categories:
        raise CaseworkError("Only a partial suspension is for some kinds of care: choose partial, or no categories")
    return [c for c in CARE_CATEGORIES if c in categories] or None


def suspend_placements(db: Path, user: User, location_id: str, imposed_on: date | None, reason: str,
                       *, scope: str = "full", categories: tuple[str, ...] | list[str] = (),
                       review_on: date | None = None) -> str:
    """Suspend new placements: full, partial (for some care categories), voluntary, or joint with
    the ICB (vocab.SUSPENSION_SCOPES), to be reviewed on `review_on`."""
    roles.require(user, Permission.SUSPEND)
    reason = _text(reason, "the reason for the suspension", "it appears on the published list")
    if imposed_on is None:
        raise CaseworkError("Enter the date the suspension starts")
    chosen = _scope(scope, categories)
    if review_on is not None and review_on < imposed_on:
        raise CaseworkError(f"The review date {fmt.long_date(review_on)} is before the suspension starts: "
                            "enter a later date")
    with store.casework(db) as con, store.transaction(con):
        current = _first(con, "queries/casework_suspensions", {
            "location_id": location_id, "current_only": True}, all_rows=True)
        if current:
            raise CaseworkError(f"Placements to {location_id} are already suspended (since "
                                f"{fmt.long_date(current[0][2])}); lift that suspension first")
        suspension_id = _first(con, "queries/casework_insert_suspension", {
            "location_id": location_id, "imposed_on": imposed_on, "reason": reason,
            "imposed_by": user.email, "scope": scope, "categories": chosen, "review_on": review_on})[0]
        _audit(con, user, "suspension_imposed", location_id,
               {"suspension_id": suspension_id, "imposed_on": imposed_on, "reason": reason, "scope": scope,
                "categories": chosen, "review_on": review_on},
               row=("placement_suspensions", suspension_id))
    return suspension_id


def lift_suspension(db: Path, user: User, suspension_id: str, lifted_on: date | None, reason: str) -> None:
    roles.require(user, Permission.SUSPEND)
    reason = _text(reason, "why the suspension is lifted", "for example 'Improvement plan completed'")
    if lifted_on is None:
        raise CaseworkError("Enter the date the suspension is lifted")
    with store.casework(db) as con, store.transaction(con):
        imposed = _first(con, "queries/casework_suspension", {"id": suspension_id})
        if imposed is None:
            raise NotFound(f"There is no suspension with ID {suspension_id}; reload the page")
        if lifted_on < imposed[0]:
            raise CaseworkError(f"The lift date {fmt.long_date(lifted_on)} is before the suspension began "
                                f"({fmt.long_date(imposed[0])}): enter a later date")
        row = _first(con, "queries/casework_lift_suspension", {
            "lifted_on": lifted_on, "lift_reason": reason, "lifted_by": user.email,
            "suspension_id": suspension_id})
        if row is None:
            raise CaseworkError("That suspension was already lifted; reload the page to see it")
        _audit(con, user, "suspension_lifted", row[0],
               {"suspension_id": suspension_id, "lifted_on": lifted_on, "reason": reason},
               row=("placement_suspensions", suspension_id))


def override_rag(db: Path, user: User, location_id: str, rag: str, reason: str,
                 expires_on: date | None) -> str:
    roles.require(user, Permission.OVERRIDE)
    if rag not in RAG:
        raise CaseworkError(f"Choose red, amber or green for the override, not {rag!r}")
    if expires_on is None:
        raise CaseworkError("Enter the date the override ends")
    reason = _text(reason, "the reason for the override", "what you know that the score does not")
    return overrides.override_rag(db, location_id, rag, reason, expires_on, user.email)


def withdraw_override(db: Path, user: User, override_id: str) -> None:
    roles.require(user, Permission.OVERRIDE)
    overrides.withdraw_override(db, override_id, user.email)


# ---- reading -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LocationCasework:
    notes: pl.DataFrame
    actions: pl.DataFrame
    visits: pl.DataFrame
    suspensions: pl.DataFrame
    overrides: pl.DataFrame

    @property
    def suspended(self) -> bool:
        return bool(self.suspensions["is_current"].any()) if self.suspensions.height else False

    @property
    def active_override(self) -> dict | None:
        active = self.overrides.filter(pl.col("is_active"))
        return active.row(0, named=True) if active.height else None


def location_casework(db: Path, location_id: str, *, today: date | None = None) -> LocationCasework:
    with store.casework(db, writing=False) as con:
        return LocationCasework(
            notes=store.query(con, "queries/casework_notes", location_id=location_id, limit=500),
            actions=store.query(con, "queries/casework_actions", location_id=location_id,
                                statuses=list(ACTION_STATUSES)),
            visits=store.query(con, "queries/casework_visits", location_id=location_id, limit=500),
            suspensions=store.query(con, "queries/casework_suspensions", location_id=location_id,
                                    current_only=False),
            overrides=store.query(con, "queries/casework_overrides", location_id=location_id,
                                  today=today or date.today()),
        )


MARKET_LIMIT = 200  # the casework page lists the newest notes and visits, this many of each


def market_casework(db: Path, *, today: date | None = None, limit: int = MARKET_LIMIT) -> LocationCasework:
    """Casework across every location: open actions, recent notes and visits, all suspensions,
    overrides."""
    with store.casework(db, writing=False) as con:
        return LocationCasework(
            notes=store.query(con, "queries/casework_notes", location_id=None, limit=limit),
            actions=store.query(con, "queries/casework_actions", location_id=None, statuses=["open"]),
            visits=store.query(con, "queries/casework_visits", location_id=None, limit=limit),
            suspensions=store.query(con, "queries/casework_suspensions", location_id=None, current_only=False),
            overrides=store.query(con, "queries/casework_overrides", location_id=None,
                                  today=today or date.today()),
        )


def published_suspensions(suspensions: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """The list a council publishes: services where new placements are suspended, since when, why."""
    current = suspensions.filter(pl.col("is_current"))
    joined = current.join(names, on="location_id", how="left")
    return joined.select(
        pl.col("location_name").fill_null(pl.col("location_id")).alias("Service"),
        pl.col("provider_name").alias("Provider"),
        pl.col("postcode").alias("Postcode"),
        pl.col("location_id").alias("CQC location ID"),
        fmt.texts(joined["imposed_on"], fmt.long_date).alias("Suspended since"),
        fmt.texts_of(joined, ("scope", "categories"), fmt.suspension_scope).alias("Scope"),
        fmt.texts(joined["review_on"], fmt.long_date).alias("Next review"),
        pl.col("reason").alias("Reason"),
    ).sort("Service")
