"""The audit log: who did what and when, for every casework write, upload and sign-in.

Append-only. The package has one function that writes it (`record`) and none that updates or
deletes it (a test scans the code and SQL for any). DuckDB has no grants or triggers to forbid an
edit made with a shell on the file, so three things guard it:

- each row carries an HMAC-SHA256 chained to the row before (`seq`, `prev_hash`, `row_hash`), keyed
  with a secret that is not in the casework file (`$MARKET_OVERSIGHT_AUDIT_KEY`, else a key file
  beside it, made on first use), so an edit cannot be re-hashed by someone without the key;
- a casework write records a digest of the row it wrote (`detail.row`, `detail.row_digest`), so a
  note, action, visit, suspension, override, provider-concern or contingency-register row changed, removed or slipped in
  outside the app is found;
- every job publishes the chain's head (its last `seq` and hash, with the time) into the warehouse
  (`casework_mirror.audit_heads`, hence the serving copy and the analysts' snapshot), so cutting rows
  off the end is found as well.

`verify_chain` reports the first row that fails, in that order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from market_oversight import store
from market_oversight.errors import ConfigError
from market_oversight.paths import casework_path, serving_dir

GENESIS = "0" * 64
KEY_ENV = "MARKET_OVERSIGHT_AUDIT_KEY"

# Actions written by this package; pages and jobs use these names.
SIGN_IN = "sign_in"
SIGN_OUT = "sign_out"
SIGN_IN_REFUSED = "sign_in_refused"
UPLOAD = "upload"
UPLOAD_REFUSED = "upload_refused"

# The casework tables whose rows the log seals, with each one's key and what a person calls a row.
SEALED = {"notes": ("note_id", "note"), "actions": ("action_id", "action"),
          "quality_assessments": ("assessment_id", "quality visit"),
          "placement_suspensions": ("suspension_id", "placement suspension"),
          "rag_overrides": ("override_id", "RAG override"),
          "concerns": ("concern_id", "provider concern"),
          "concern_stages": ("stage_id", "concern stage"),
          "concern_meetings": ("meeting_id", "concern meeting"),
          "concern_actions": ("plan_action_id", "improvement-plan action"),
          "concern_enquiries": ("enquiry_id", "linked safeguarding enquiry"),
          "contingency_plans": ("plan_id", "contingency plan review"),
          "oversight_notices": ("notice_id", "Market Oversight notice")}
# Columns a later casework migration added to a sealed table, with the value every row written
# before it was given: a row's seal leaves a column out while it holds that value, so the seals of
# rows written before the migration still hold, and any other value (set in or outside the app) is
# sealed like every other column.
ADDED_COLUMNS: dict[str, dict[str, Any]] = {
    "placement_suspensions": {"scope": "full", "categories": None, "review_on": None},
}


def key_path(casework_file: Path) -> Path:
    """Where the audit key is kept when $MARKET_OVERSIGHT_AUDIT_KEY is not set: beside the
    casework file, readable by its owner only."""
    return casework_file.with_name(casework_file.name.removesuffix(".duckdb") + ".audit-key")


def audit_key(casework_file: Path) -> bytes:
    """The secret the chain is keyed with: $MARKET_OVERSIGHT_AUDIT_KEY (at least 32 characters), else
    the key file beside the casework file, created with a random key the first time."""
    given = os.environ.get(KEY_ENV)
    if given is not None:
        if len(given.strip()) < 32:
            raise ConfigError(f"${KEY_ENV} must be at least 32 characters (for example 64 hex digits)")
        return given.strip().encode("utf-8")
    path = key_path(casework_file)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip().encode("ascii")
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip().encode("ascii")


def _con_key(con: duckdb.DuckDBPyConnection) -> bytes:
    path = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    return audit_key(Path(path))


def _row_hash(key: bytes, seq: int, prev_hash: str, logged_at: datetime, actor: str, action: str,
              target: str | None, detail: str | None) -> str:
    text = "\x1f".join([str(seq), prev_hash, logged_at.isoformat(), actor, action,
                        target or "", detail or ""])
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _digest(columns: list[str], values: tuple, added: dict[str, Any] | None = None) -> str:
    """A casework row's content, as a hash of its columns and values in a fixed form (leaving out a
    column of `added` while it holds the value rows written before it were given)."""
    added = added or {}
    content = json.dumps({c: v for c, v in zip(columns, values) if c not in added or v != added[c]},
                         sort_keys=True, default=str)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _sealed_rows(con: duckdb.DuckDBPyConnection, table: str, row_id: str | None = None) -> dict[str, str]:
    """Digest of each row of a sealed casework table (or of one row), by its key."""
    key_column = SEALED[table][0]
    query = f"select * from main.{table}"  # table and column from the fixed SEALED list
    result = (con.execute(query + f" where {key_column} = $id", {"id": row_id}) if row_id is not None
              else con.execute(query))
    columns = [d[0] for d in result.description]
    at = columns.index(key_column)
    added = ADDED_COLUMNS.get(table)
    return {str(row[at]): _digest(columns, row, added) for row in result.fetchall()}


def record(con: duckdb.DuckDBPyConnection, actor: str, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None, *, row: tuple[str, str] | None = None) -> int:
    """Append one row to the audit log on a casework connection, inside the caller's transaction
    (so the row commits or rolls back with the write it describes). `row` = (table, key) names the
    casework row the write left, whose content digest the audit row then carries. Returns its
    place in the chain."""
    if row is not None:
        table, row_id = row
        digests = _sealed_rows(con, table, str(row_id))
        detail = {**(detail or {}), "row": f"{table}/{row_id}", "row_digest": digests.get(str(row_id))}
    last = store.run(con, "audit/last").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    logged_at = datetime.now().replace(tzinfo=None)
    detail_text = json.dumps(detail, sort_keys=True, default=str) if detail is not None else None
    row_hash = _row_hash(_con_key(con), seq, prev, logged_at, actor, action, target, detail_text)
    store.run(con, "audit/append", logged_at=logged_at, actor=actor, action=action, target=target,
              detail=detail_text, seq=seq, prev_hash=prev, row_hash=row_hash)
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
    """Recompute every row's keyed hash and link, then every casework row's digest, then check the
    heads published by jobs are still in the chain; the first problem is reported, not raised."""
    with store.casework(db, writing=False) as con:
        rows = store.run(con, "audit/chain").fetchall()
        casework = {table: _sealed_rows(con, table) for table in SEALED}
    key = audit_key(casework_path(db))
    chained = [r for r in rows if r[0] is not None]
    unchained = len(rows) - len(chained)

    def broken(seq: int | None, problem: str) -> ChainReport:
        return ChainReport(len(rows), seq, unchained, problem)

    prev, expected_seq = GENESIS, 1
    sealed: dict[str, tuple[int, str | None]] = {}   # "table/key" -> (seq, digest) of its last write
    for seq, prev_hash, row_hash, logged_at, actor, action, target, detail in chained:
        if seq != expected_seq:
            return broken(seq, f"row {expected_seq} of the audit log is missing (next is {seq})")
        if prev_hash != prev:
            return broken(seq, f"audit row {seq} does not follow row {seq - 1}")
        if not hmac.compare_digest(_row_hash(key, seq, prev_hash, logged_at, actor, action, target, detail),
                                   row_hash):
            return broken(seq, f"audit row {seq} was changed after it was written")
        written = json.loads(detail) if detail else {}
        if isinstance(written, dict) and "row" in written:
            sealed[written["row"]] = (seq, written.get("row_digest"))
        prev, expected_seq = row_hash, expected_seq + 1
    if unchained:
        return broken(None, f"{unchained} audit row(s) were written outside the audit module")
    problem = _casework_problem(casework, sealed)
    if problem:
        return broken(problem[0], problem[1])
    head = {seq: row_hash for seq, _, row_hash, *_ in chained}
    for published_at, seq, row_hash in published_heads(db):
        if head.get(seq) != row_hash:
            return broken(seq, f"the audit log published at {published_at:%d %b %Y %H:%M} ended at row "
                               f"{seq}, which is no longer in the log as it was: rows were removed or rewritten")
    return ChainReport(len(rows), None, 0, None)


def _casework_problem(casework: dict[str, dict[str, str]],
                      sealed: dict[str, tuple[int, str | None]]) -> tuple[int | None, str] | None:
    """The first casework row that is not as its last audited write left it, if any."""
    for table, digests in casework.items():
        what = SEALED[table][1]
        for row_id, digest in sorted(digests.items()):
            seq, recorded = sealed.get(f"{table}/{row_id}", (None, None))
            if seq is None:
                return None, f"{what} {row_id} was written outside the app (no audit row records it)"
            if recorded != digest:
                return seq, f"{what} {row_id} was changed after it was written (audit row {seq} records it)"
    for name, (seq, recorded) in sorted(sealed.items(), key=lambda item: item[1][0]):
        table, _, row_id = name.partition("/")
        if recorded is not None and row_id not in casework.get(table, {}):
            return seq, f"{SEALED[table][1]} {row_id} was removed (audit row {seq} records it)"
    return None


def published_heads(db: Path) -> list[tuple[datetime, int, str]]:
    """The heads of the chain that jobs published into the warehouse, from the warehouse or, while
    a job holds it, from the newest serving copy; none if there is neither."""
    for source in (db, *sorted(serving_dir(db).glob("*.duckdb"), reverse=True)):
        if not source.exists():
            continue
        try:
            con = duckdb.connect(str(source), read_only=True)
        except duckdb.Error:
            continue
        try:
            return store.run(con, "audit/published_heads").fetchall()
        except duckdb.CatalogException:
            return []
        finally:
            con.close()
    return []


def recent(db: Path, limit: int = 200) -> list[tuple]:
    """The newest rows, newest first: (seq, logged_at, actor, action, target, detail)."""
    with store.casework(db, writing=False) as con:
        return store.run(con, "audit/recent", limit=limit).fetchall()
