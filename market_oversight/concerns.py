"""Provider concerns: enhanced monitoring, serious concerns and large-scale enquiries.

A concern is about one location or one provider (then every one of its locations). It moves through
the stages of vocab.CONCERN_STAGES, each with the date it was entered; it has multi-agency meetings,
an improvement plan and linked safeguarding enquiries (their reference and date only: this file
holds no personal data). Its stage is a hard floor of the RAG in force (mart.risk_history).

Writes are casework's: the role is checked first (contract managers and administrators write;
viewers are refused here, whatever a page shows), each write is one short transaction on the
casework file, and every row it leaves is sealed by an audit row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from market_oversight import audit, fmt, roles, store
from market_oversight.casework import _first, _not_future, _text
from market_oversight.errors import CaseworkError, NotFound
from market_oversight.roles import Permission, User
from market_oversight.vocab import CONCERN_STAGES, gravest_stage

# A safeguarding enquiry's reference, as the council's case system gives it: letters, digits and
# / - _ . only, no spaces, so that a name or an address cannot be typed into it.
ENQUIRY_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")


def _stage(stage: str) -> str:
    if stage not in CONCERN_STAGES:
        raise CaseworkError(f"Choose the stage from: {', '.join(fmt.CONCERN_STAGE_LABELS[s] for s in CONCERN_STAGES)}")
    return stage


def _open_concern(con, concern_id: str) -> tuple:
    """(concern_id, target, opened_on, closed_on, stage, stage_since) of an open concern."""
    row = _first(con, "queries/concerns_one", {"concern_id": concern_id})
    if row is None:
        raise NotFound(f"There is no concern with ID {concern_id}; reload the page")
    if row[3] is not None:
        raise CaseworkError(f"That concern was closed on {fmt.long_date(row[3])}; open a new one if concerns return")
    return row


def open_concern(db: Path, user: User, *, stage: str, opened_on: date | None, lead_officer: str,
                 agencies: Iterable[str], reason: str, location_id: str | None = None,
                 provider_id: str | None = None, today: date | None = None) -> str:
    """Open a concern about a location or (location_id None) a provider, at its first stage."""
    roles.require(user, Permission.CASEWORK)
    if (location_id is None) == (provider_id is None):
        raise CaseworkError("A concern is about one location or one provider: choose which")
    stage = _stage(stage)
    opened_on = _not_future(opened_on, "the concern was opened", today)
    lead_officer = _text(lead_officer, "the lead officer", "a name or e-mail address")
    reason = _text(reason, "why the concern is opened", "what has happened, in a line")
    named = sorted({a.strip() for a in agencies if a and a.strip()})
    with store.casework(db) as con, store.transaction(con):
        open_now = _first(con, "queries/concerns_open_for",
                          {"location_id": location_id, "provider_id": provider_id})
        if open_now:
            raise CaseworkError(f"A concern about {location_id or provider_id} is already open (since "
                                f"{fmt.long_date(open_now[1])}): change its stage instead")
        concern_id = _first(con, "queries/concerns_insert", {
            "location_id": location_id, "provider_id": provider_id, "opened_on": opened_on,
            "lead_officer": lead_officer, "agencies": named, "opened_by": user.email})[0]
        target = location_id or provider_id
        audit.record(con, user.email, "concern_opened", target,
                     {"concern_id": concern_id, "lead_officer": lead_officer}, row=("concerns", concern_id))
        _enter(con, user, concern_id, target, stage, opened_on, reason)
    return concern_id


def _enter(con, user: User, concern_id: str, target: str, stage: str, entered_on: date, reason: str) -> str:
    stage_id = _first(con, "queries/concerns_insert_stage", {
        "concern_id": concern_id, "stage": stage, "entered_on": entered_on, "reason": reason,
        "recorded_by": user.email})[0]
    audit.record(con, user.email, "concern_stage", target,
                 {"concern_id": concern_id, "stage": stage, "entered_on": entered_on},
                 row=("concern_stages", stage_id))
    return stage_id


def change_stage(db: Path, user: User, concern_id: str, stage: str, entered_on: date | None, reason: str,
                 *, today: date | None = None) -> str:
    """Move an open concern to another stage (up or down) from `entered_on`."""
    roles.require(user, Permission.CASEWORK)
    stage = _stage(stage)
    entered_on = _not_future(entered_on, "the new stage began", today)
    reason = _text(reason, "why the stage changes", "for example 'Second safeguarding alert in a month'")
    with store.casework(db) as con, store.transaction(con):
        _, target, _, _, now, since = _open_concern(con, concern_id)
        if stage == now:
            raise CaseworkError(f"The concern is already at {fmt.CONCERN_STAGE_LABELS[stage].lower()}")
        if since is not None and entered_on < since:
            raise CaseworkError(f"The new stage cannot begin before the current one ({fmt.long_date(since)})")
        return _enter(con, user, concern_id, target, stage, entered_on, reason)


def close_concern(db: Path, user: User, concern_id: str, closed_on: date | None, reason: str,
                  *, today: date | None = None) -> None:
    roles.require(user, Permission.CASEWORK)
    closed_on = _not_future(closed_on, "the concern was closed", today)
    reason = _text(reason, "why the concern is closed", "for example 'Improvement plan completed'")
    with store.casework(db) as con, store.transaction(con):
        _, _, opened_on, _, _, since = _open_concern(con, concern_id)
        if closed_on < max(opened_on, since or opened_on):
            raise CaseworkError(f"The concern cannot close before its current stage began "
                                f"({fmt.long_date(max(opened_on, since or opened_on))})")
        target = _first(con, "queries/concerns_close", {
            "closed_on": closed_on, "close_reason": reason, "closed_by": user.email,
            "concern_id": concern_id})[0]
        audit.record(con, user.email, "concern_closed", target,
                     {"concern_id": concern_id, "closed_on": closed_on, "reason": reason},
                     row=("concerns", concern_id))


def record_meeting(db: Path, user: User, concern_id: str, meeting_date: date | None, attendees: str,
                   decisions: str, *, today: date | None = None) -> str:
    roles.require(user, Permission.CASEWORK)
    meeting_date = _not_future(meeting_date, "of the meeting", today)
    attendees = _text(attendees, "who attended", "their roles and agencies, for example 'Council QA, ICB, CQC'")
    decisions = _text(decisions, "what the meeting decided", "the decisions and who acts on them")
    with store.casework(db) as con, store.transaction(con):
        _, target, *_ = _open_concern(con, concern_id)
        meeting_id = _first(con, "queries/concerns_insert_meeting", {
            "concern_id": concern_id, "meeting_date": meeting_date, "attendees": attendees,
            "decisions": decisions, "recorded_by": user.email})[0]
        audit.record(con, user.email, "concern_meeting", target,
                     {"concern_id": concern_id, "meeting_id": meeting_id}, row=("concern_meetings", meeting_id))
    return meeting_id


def add_plan_action(db: Path, user: User, concern_id: str, title: str, owner: str, due_date: date | None) -> str:
    """An action of the improvement plan (the provider's or an agency's)."""
    roles.require(user, Permission.CASEWORK)
    title = _text(title, "what needs doing", "for example 'Provider to recruit a registered manager'")
    owner = _text(owner, "who owns the action", "a name, a role or an agency")
    if due_date is None:
        raise CaseworkError("Enter a due date for the action")
    with store.casework(db) as con, store.transaction(con):
        _, target, *_ = _open_concern(con, concern_id)
        action_id = _first(con, "queries/concerns_insert_action", {
            "concern_id": concern_id, "title": title, "owner": owner, "due_date": due_date,
            "created_by": user.email})[0]
        audit.record(con, user.email, "plan_action_added", target,
                     {"concern_id": concern_id, "plan_action_id": action_id, "owner": owner, "due_date": due_date},
                     row=("concern_actions", action_id))
    return action_id


def mark_plan_action_done(db: Path, user: User, plan_action_id: str, done_on: date | None,
                          *, today: date | None = None) -> None:
    roles.require(user, Permission.CASEWORK)
    done_on = _not_future(done_on, "the action was done", today)
    with store.casework(db) as con, store.transaction(con):
        row = _first(con, "queries/concerns_action_done", {
            "done_on": done_on, "done_by": user.email, "plan_action_id": plan_action_id})
        if row is None:
            raise NotFound(f"There is no open improvement-plan action with ID {plan_action_id}; reload the page")
        target = _first(con, "queries/concerns_one", {"concern_id": row[0]})[1]
        audit.record(con, user.email, "plan_action_done", target,
                     {"concern_id": row[0], "plan_action_id": plan_action_id, "done_on": done_on},
                     row=("concern_actions", plan_action_id))


def link_enquiry(db: Path, user: User, concern_id: str, reference: str, enquiry_date: date | None,
                 *, today: date | None = None) -> str:
    """Link a safeguarding enquiry by its reference and date: nothing about the person."""
    roles.require(user, Permission.CASEWORK)
    reference = (reference or "").strip()
    if not ENQUIRY_REFERENCE.match(reference):
        raise CaseworkError("Enter the enquiry's reference from the case system: 2 to 40 letters, digits "
                            "and / - _ . with no spaces (never a name or an address)")
    enquiry_date = _not_future(enquiry_date, "the enquiry began", today)
    with store.casework(db) as con, store.transaction(con):
        _, target, *_ = _open_concern(con, concern_id)
        enquiry_id = _first(con, "queries/concerns_insert_enquiry", {
            "concern_id": concern_id, "reference": reference, "enquiry_date": enquiry_date,
            "recorded_by": user.email})[0]
        audit.record(con, user.email, "enquiry_linked", target,
                     {"concern_id": concern_id, "enquiry_id": enquiry_id}, row=("concern_enquiries", enquiry_id))
    return enquiry_id


# ---- reading -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Concerns:
    """The concerns about one location and its provider, each with its stages, meetings, plan and
    enquiries (joined by concern_id)."""
    concerns: pl.DataFrame
    stages: pl.DataFrame
    meetings: pl.DataFrame
    actions: pl.DataFrame
    enquiries: pl.DataFrame

    @property
    def open(self) -> pl.DataFrame:
        return self.concerns.filter(pl.col("is_open"))

    @property
    def stage(self) -> str | None:
        """The gravest stage of the open concerns, if any."""
        return gravest_stage(self.open["stage"].to_list())


def location_concerns(db: Path, location_id: str, provider_id: str | None) -> Concerns:
    with store.casework(db, writing=False) as con:
        found = store.query(con, "queries/concerns_for_location", location_id=location_id,
                            provider_id=provider_id)
        ids = {"concern_ids": found["concern_id"].to_list()}
        return Concerns(
            found,
            store.query(con, "queries/concerns_stages", **ids),
            store.query(con, "queries/concerns_meetings", **ids),
            store.query(con, "queries/concerns_actions", **ids),
            store.query(con, "queries/concerns_enquiries", **ids),
        )
