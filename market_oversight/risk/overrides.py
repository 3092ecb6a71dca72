"""Human judgement over the computed RAG: override with a reason and an expiry, or withdraw.

Overrides are casework (the app writes them while a job may hold the warehouse); each write also
appends to the casework audit log. Scores keep the computed RAG; the marts show both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from market_oversight import audit, store
from market_oversight.errors import RiskError
from market_oversight.vocab import RAG


@dataclass(frozen=True)
class Override:
    override_id: str
    location_id: str
    rag: str
    reason: str
    expires_on: date
    created_by: str
    created_at: datetime
    withdrawn_by: str | None
    withdrawn_at: datetime | None


def override_rag(db: Path, location_id: str, rag: str, reason: str, expires_on: date, by: str,
                 *, today: date | None = None) -> str:
    """Set a location's RAG by hand until `expires_on`; an earlier active override is withdrawn.
    Returns the new override's id."""
    today = today or date.today()
    if rag not in RAG:
        raise RiskError(f"override RAG {rag!r} must be one of {', '.join(RAG)}")
    if not reason.strip():
        raise RiskError("an override needs a reason")
    if not by.strip():
        raise RiskError("an override needs the name of who made it")
    if expires_on < today:
        raise RiskError(f"override expiry {expires_on} is in the past")
    with store.casework(db) as con, store.transaction(con):
        replaced = store.run(con, "risk/withdraw_active_overrides", location_id=location_id, by=by).fetchall()
        for (old_id,) in replaced:
            _audit(con, by, "rag_override_withdrawn", location_id, {"override_id": old_id},
                   row=("rag_overrides", old_id))
        override_id = store.run(con, "risk/insert_override", location_id=location_id, rag=rag,
                                reason=reason.strip(), expires_on=expires_on, by=by).fetchone()[0]
        _audit(con, by, "rag_override", location_id, {
            "override_id": str(override_id), "rag": rag, "reason": reason.strip(),
            "expires_on": expires_on.isoformat()}, row=("rag_overrides", str(override_id)))
    return str(override_id)


def withdraw_override(db: Path, override_id: str, by: str) -> None:
    with store.casework(db) as con, store.transaction(con):
        row = con.execute(
            "select location_id, withdrawn_at from rag_overrides where cast(override_id as varchar) = $id",
            {"id": override_id}).fetchone()
        if row is None:
            raise RiskError(f"no RAG override with id {override_id}")
        if row[1] is not None:
            raise RiskError(f"RAG override {override_id} was already withdrawn on {row[1]:%Y-%m-%d}")
        con.execute("update rag_overrides set withdrawn_by = $by, withdrawn_at = current_timestamp "
                    "where cast(override_id as varchar) = $id", {"by": by, "id": override_id})
        _audit(con, by, "rag_override_withdrawn", row[0], {"override_id": override_id},
               row=("rag_overrides", override_id))


def overrides(db: Path, location_id: str | None = None) -> list[Override]:
    """Every override (active, expired and withdrawn), newest first, from the casework file."""
    with store.casework(db, writing=False) as con:
        rows = con.execute(
            "select cast(override_id as varchar), location_id, rag, reason, expires_on, created_by, "
            "created_at, withdrawn_by, withdrawn_at from rag_overrides "
            "where $location_id is null or location_id = $location_id order by created_at desc",
            {"location_id": location_id}).fetchall()
    return [Override(*r) for r in rows]


def _audit(con, actor: str, action: str, target: str, detail: dict, *, row: tuple[str, str]) -> None:
    audit.record(con, actor, action, target, detail, row=row)
