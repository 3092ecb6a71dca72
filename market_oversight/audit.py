"""The audit log: who did what and when, for every casework write, upload and sign-in.

Append-only. The package has one function that writes it (`record`) and none that updates or
deletes it (a test scans the code and SQL for any), and each row carries a SHA-256 hash chained to
the row before (`seq`, `prev_hash`, `row_hash`). DuckDB has no grants or triggers to forbid an
edit made with a shell on the file, so the chain is the guard there: `verify_chain` finds the first
row that was changed, removed or slipped in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from market_oversight import store

GENESIS = "0" * 64

# Actions written by this package; pages and jobs use these names.
SIGN_IN = "sign_in"
SIGN_OUT = "sign_out"
SIGN_IN_REFUSED = "sign_in_refused"
UPLOAD = "upload"
UPLOAD_REFUSED = "upload_refused"


def _row_hash(seq: int, prev_hash: str, logged_at: datetime, actor: str, action: str,
              target: str | None, detail: str | None) -> str:
    text = "\x1f".join([str(seq), prev_hash, logged_at.isoformat(), actor, action,
                        target or "", detail or ""])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(con: duckdb.DuckDBPyConnection, actor: str, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None) -> int:
    """Append one row to the audit log on a casework connection, inside the caller's transaction
    (so the row commits or rolls back with the write it describes). Returns its place in the chain."""
    last = con.execute(store.sql("audit/last")).fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    logged_at = datetime.now().replace(tzinfo=None)
    detail_text = json.dumps(detail, sort_keys=True, default=str) if detail is not None else None
    row_hash = _row_hash(seq, prev, logged_at, actor, action, target, detail_text)
    con.execute(store.sql("audit/append"), {
        "logged_at": logged_at, "actor": actor, "action": action, "target": target,
        "detail": detail_text, "seq": seq, "prev_hash": prev, "row_hash": row_hash})
    return seq


def record_event(db: Path, actor: str, action: str, target: str | None = None,
                 detail: dict[str, Any] | None = None) -> int:
    """Append one row in its own short transaction (sign-in, sign-out, a refused upload)."""
    with store.casework(db) as con, store.transaction(con):
        return record(con, actor, action, target, detail)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_bad_seq: int | None       # the first row whose hash or link does not hold
    unchained: int                  # rows written without a place in the chain
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(db: Path) -> ChainReport:
    """Recompute every row's hash and link; the first break is reported, not raised."""
    with store.casework(db, writing=False) as con:
        rows = con.execute(store.sql("audit/chain")).fetchall()
    prev, expected_seq = GENESIS, 1
    chained = [r for r in rows if r[0] is not None]
    unchained = len(rows) - len(chained)
    for seq, prev_hash, row_hash, logged_at, actor, action, target, detail in chained:
        if seq != expected_seq:
            return ChainReport(len(rows), seq, unchained,
                               f"row {expected_seq} of the audit log is missing (next is {seq})")
        if prev_hash != prev:
            return ChainReport(len(rows), seq, unchained,
                               f"audit row {seq} does not follow row {seq - 1}")
        if _row_hash(seq, prev_hash, logged_at, actor, action, target, detail) != row_hash:
            return ChainReport(len(rows), seq, unchained, f"audit row {seq} was changed after it was written")
        prev, expected_seq = row_hash, expected_seq + 1
    if unchained:
        return ChainReport(len(rows), None, unchained,
                           f"{unchained} audit row(s) were written outside the audit module")
    return ChainReport(len(rows), None, 0, None)


def recent(db: Path, limit: int = 200) -> list[tuple]:
    """The newest rows, newest first: (seq, logged_at, actor, action, target, detail)."""
    with store.casework(db, writing=False) as con:
        return con.execute(store.sql("audit/recent"), {"limit": limit}).fetchall()
