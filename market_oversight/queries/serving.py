"""The app's way into the warehouse: the newest published copy, opened read-only, with the live
casework bound over the mirror. Pages never open the live file, and reach the store only through the
queries (see the layers in docs/design.md)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from market_oversight import store


def newest_copy(db: Path) -> Path:
    """The newest published copy of the warehouse `db` (the warehouse itself if none was published)."""
    return store.current_serving_copy(db)


def open_read_only(copy: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published copy; every query function takes a cursor of it."""
    return store.connect(copy, read_only=True)


@dataclass(frozen=True)
class LiveCasework:
    """The casework rows that decide the RAG in force, and the contingency register, as the casework
    file holds them now (store.LIVE_CASEWORK_TABLES)."""
    tables: dict[str, pa.Table]
    key: str  # changes whenever any of the rows does: query results are cached by it


# Read again at least this often even when the file looks unchanged (a backstop: see live_casework).
LIVE_CASEWORK_MAX_AGE_SECONDS = 5.0
_last_read: dict[Path, tuple[tuple, float, LiveCasework]] = {}
_last_read_guard = threading.Lock()


def live_casework(db: Path) -> LiveCasework:
    """The live casework, read again only when the casework file has changed since the last read in
    this process (every page run asks; a read opens the file, 30 ms, one thread at a time).

    A write to the file, from this process or another, changes the file's or its write-ahead log's
    modification time or size (`store.casework_stamp`), and the next call reads it. The stamp is
    taken before the read, so a write during the read makes the next call read again. Reads are
    redone after LIVE_CASEWORK_MAX_AGE_SECONDS whatever the stamp says."""
    key = db.resolve()
    stamp = store.casework_stamp(db)
    with _last_read_guard:
        last = _last_read.get(key)
    if last is not None and last[0] == stamp and time.monotonic() - last[1] < LIVE_CASEWORK_MAX_AGE_SECONDS:
        return last[2]
    read_at = time.monotonic()
    tables = store.read_casework_tables(db, store.LIVE_CASEWORK_TABLES)
    digest = hashlib.sha256()
    for name, table in sorted(tables.items()):
        digest.update(name.encode())
        digest.update(repr(table.to_pydict()).encode())
    live = LiveCasework(tables, digest.hexdigest()[:16])
    with _last_read_guard:
        _last_read[key] = (stamp, read_at, live)
    return live


def with_live_casework(cur: duckdb.DuckDBPyConnection, live: LiveCasework) -> duckdb.DuckDBPyConnection:
    """Bind the live casework tables on this cursor under the bare names mart.risk_history reads.

    A serving copy's casework mirror is as old as the last job; these cursor-local views come first
    in DuckDB's search path (temporary objects before the mart's own schema), so the one definition
    of the RAG in force sees the casework file as it is now: an override, a withdrawal or a
    suspension shows on every page on the next render. Other cursors are unaffected."""
    for name, table in live.tables.items():
        cur.register(name, table)
    return cur


class ReadSide:
    """One read-only connection to a published copy, and its cursors with the live casework bound,
    each lent to one thread at a time and taken back for the next query.

    Binding the live casework on a fresh cursor registers each of its tables (about 3 ms); a page
    run asks up to ten queries and every user's run asks them, so a cursor is bound once per state of
    the casework and reused. Cursors of the two newest states are kept (a run pins its state, so an
    older run may still ask after a write); a cursor whose query failed is not taken back."""

    KEPT_STATES = 2

    def __init__(self, copy: Path) -> None:
        self.connection = open_read_only(copy)
        self._idle: dict[str, list[duckdb.DuckDBPyConnection]] = {}
        self._guard = threading.Lock()

    @contextmanager
    def cursor(self, live: LiveCasework) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._guard:
            idle = self._idle.get(live.key)
            if idle is None:
                idle = self._idle[live.key] = []
                for older in list(self._idle)[:-self.KEPT_STATES]:
                    del self._idle[older]
            cur = idle.pop() if idle else None
        if cur is None:
            cur = with_live_casework(self.connection.cursor(), live)
        yield cur
        with self._guard:
            if live.key in self._idle:
                self._idle[live.key].append(cur)
