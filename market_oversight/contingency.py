"""The contingency register: per provider, whether the council holds a plan for its failure, who
owns it, when it was last reviewed and when the next review is due; and the CQC Market Oversight
notices (Care Act 2014 s.55-56) recorded against a provider.

Both are append-only casework: a review is a new row (the register now is each provider's latest,
mart.contingency_register), a notice is a row. Writes check the role first, on the server
(contract managers and administrators; viewers and data officers are refused and nothing is
written), run in one short transaction on the casework file, and every row they leave is sealed
by an audit row. When a review is overdue is said once, in mart.contingency_register (the
watchlist, the provider page and the rehearsal read it) and, for a week of the e-mail, in
sql/alerts/contingency_reviews.sql.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from market_oversight import audit, fmt, roles, store
from market_oversight.casework import _first, _not_future, _text
from market_oversight.errors import CaseworkError
from market_oversight.roles import Permission, User
from market_oversight.vocab import OVERSIGHT_NOTICE_KINDS


def _provider(provider_id: str | None) -> str:
    provider_id = (provider_id or "").strip()
    if not provider_id:
        raise CaseworkError("Choose the provider (its CQC provider ID) the register entry is for")
    return provider_id


def record_review(db: Path, user: User, provider_id: str, *, plan_held: bool, owner: str,
                  reviewed_on: date | None, next_review_on: date | None, note: str | None = None,
                  today: date | None = None) -> str:
    """Record a review of the provider's contingency plan (or that none is held): who owns it, the
    day it was reviewed and the day the next review is due. Returns the new row's ID."""
    roles.require(user, Permission.CASEWORK)
    provider_id = _provider(provider_id)
    owner = _text(owner, "who owns the plan", "a name, a role or an e-mail address")
    reviewed_on = _not_future(reviewed_on, "the plan was last reviewed", today)
    if next_review_on is None:
        raise CaseworkError("Enter the date the next review is due")
    if next_review_on <= reviewed_on:
        raise CaseworkError(f"The next review ({fmt.long_date(next_review_on)}) must fall after the review "
                            f"recorded ({fmt.long_date(reviewed_on)})")
    with store.casework(db) as con, store.transaction(con):
        plan_id = _first(con, "queries/contingency_insert_plan", {
            "provider_id": provider_id, "plan_held": bool(plan_held), "owner": owner,
            "reviewed_on": reviewed_on, "next_review_on": next_review_on,
            "note": (note or "").strip() or None, "recorded_by": user.email})[0]
        audit.record(con, user.email, "contingency_reviewed", provider_id,
                     {"plan_id": plan_id, "plan_held": bool(plan_held), "next_review_on": next_review_on},
                     row=("contingency_plans", plan_id))
    return plan_id


def record_notice(db: Path, user: User, provider_id: str, *, notice_on: date | None, kind: str,
                  note: str, today: date | None = None) -> str:
    """Record a CQC Market Oversight notice about the provider (its date, kind and a note)."""
    roles.require(user, Permission.CASEWORK)
    provider_id = _provider(provider_id)
    if kind not in OVERSIGHT_NOTICE_KINDS:
        raise CaseworkError("Choose the kind of notice from: "
                            + ", ".join(fmt.oversight_notice(k) for k in OVERSIGHT_NOTICE_KINDS))
    notice_on = _not_future(notice_on, "of the notice", today)
    note = _text(note, "what the notice says", "for example 'CQC asked for a sustainability plan by 1 March'")
    with store.casework(db) as con, store.transaction(con):
        notice_id = _first(con, "queries/contingency_insert_notice", {
            "provider_id": provider_id, "notice_on": notice_on, "kind": kind, "note": note,
            "recorded_by": user.email})[0]
        audit.record(con, user.email, "oversight_notice", provider_id,
                     {"notice_id": notice_id, "kind": kind, "notice_on": notice_on},
                     row=("oversight_notices", notice_id))
    return notice_id


def provider_history(db: Path, provider_id: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(reviews, notices) recorded for one provider, newest first, from the casework file as it is now."""
    with store.casework(db, writing=False) as con:
        params = {"provider_id": provider_id}
        return (store.query(con, "queries/contingency_history", **params),
                store.query(con, "queries/contingency_notices", **params))
