"""The analysts' snapshot: a dated, read-only copy of the warehouse that no load ever locks.

DuckDB lets one process hold a file read-write and blocks every other process meanwhile, readers
included; an analyst's notebook holding the warehouse open would also stop the nightly load. So
analysts never open the warehouse. After a load, `publish_snapshot(db)` copies the committed
warehouse (checkpointed, while it holds the write lock, so the copy is consistent) to
`<db stem>.snapshots/market-YYYYMMDDTHHMMSSZ.duckdb`, marks it read-only (0444), and points
`latest.duckdb` at it with an atomic rename of a hard link. The newest `keep` dated copies stay; a
notebook that still has an older one open keeps reading it after it is unlinked (POSIX semantics).

The copy is a separate file, never a link to the warehouse, so nothing done to it reaches the
warehouse; analysts open it with `read_only=True`, which refuses every write whatever the user.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import datetime
from pathlib import Path

import duckdb

from market_oversight import store
from market_oversight.config import Settings, load_settings
from market_oversight.errors import SnapshotError, WarehouseError, WarehouseTooNew
from market_oversight.paths import casework_path, resolve_db, snapshots_dir

LATEST = "latest.duckdb"
SNAPSHOT_ENV = "MARKET_OVERSIGHT_SNAPSHOT"
_DATED = re.compile(r"^market-(\d{8}T\d{6}Z)(?:-(\d+))?\.duckdb$")


def snapshot_keep(settings: Settings | None = None) -> int:
    """How many dated snapshots to keep: `[analyst] snapshot_keep` in the configuration."""
    return (settings or load_settings()).analyst.snapshot_keep


def dated_snapshots(folder: Path) -> list[Path]:
    """The dated snapshots in a folder, oldest first (by the UTC time in their names)."""
    found = []
    for path in folder.glob("market-*.duckdb"):
        m = _DATED.match(path.name)
        if m:
            found.append(((m.group(1), int(m.group(2) or 0)), path))
    return [p for _, p in sorted(found)]


def publish_snapshot(db: Path, *, keep: int | None = None, settings: Settings | None = None) -> Path:
    """Copy the warehouse to a new dated read-only snapshot, point latest.duckdb at it, keep the
    newest `keep` (default from the configuration), and return the new snapshot's path.

    Opens the warehouse read-write for the length of the copy (seconds), so call it after a load has
    closed its connection; `snapshot_from` does the same with a connection a job already holds."""
    if not db.exists():
        raise SnapshotError(f"no warehouse at {db}: run `market-oversight demo` or an ingest first")
    keep = snapshot_keep(settings) if keep is None else keep
    with store.warehouse(db, publish=False) as con:
        return snapshot_from(con, db, keep=keep)


def snapshot_from(con: duckdb.DuckDBPyConnection, db: Path, *, keep: int) -> Path:
    """`publish_snapshot` for a job that holds the warehouse read-write on `con`."""
    if keep < 1:
        raise SnapshotError(f"keep must be at least 1, not {keep}")
    con.execute("checkpoint")
    folder = snapshots_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    taken = time.gmtime()
    target = _unused_name(folder, time.strftime("%Y%m%dT%H%M%SZ", taken))
    store.remove_orphan_copies(db)
    tmp = store.temporary_path(folder, target.name)
    try:
        store.copy_held_database(db, tmp)
        _record_snapshot(con, tmp, db, time.strftime("%Y-%m-%d %H:%M:%S", taken))
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _point_latest(folder, target)
    for old in dated_snapshots(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def _unused_name(folder: Path, stamp: str) -> Path:
    """market-<stamp>.duckdb, or for a later snapshot in the same second market-<stamp>-<n>.duckdb
    with n above any used in that second, so a name pruned a moment ago is never reused (a reused
    name would sort as the oldest and be pruned at once)."""
    used = [int(m.group(2) or 0) for p in folder.glob(f"market-{stamp}*.duckdb")
            if (m := _DATED.match(p.name)) and m.group(1) == stamp]
    if not used:
        return folder / f"market-{stamp}.duckdb"
    return folder / f"market-{stamp}-{max(used) + 1}.duckdb"


def _record_snapshot(con: duckdb.DuckDBPyConnection, copy: Path, db: Path, taken_at: str) -> None:
    """Write `meta.snapshot` (when, from which warehouse, at which schema version) into the copy."""
    con.execute("attach $path as snapshot_copy", {"path": str(copy)})
    try:
        con.execute(
            "create or replace table snapshot_copy.meta.snapshot as "
            "select cast($taken_at as timestamp) as taken_at_utc, $warehouse as warehouse, "
            "max(version) as schema_version from meta.schema_version",
            {"taken_at": taken_at, "warehouse": str(db)},
        )
        con.execute("checkpoint snapshot_copy")
    finally:
        con.execute("detach snapshot_copy")
    if copy.with_name(copy.name + ".wal").exists():
        raise SnapshotError(f"{copy}: the copy was left with a write-ahead log; nothing was published")


def _point_latest(folder: Path, target: Path) -> None:
    """Make latest.duckdb the same file as `target`, atomically: readers see the old or the new."""
    link = store.temporary_path(folder, LATEST)
    link.unlink(missing_ok=True)
    os.link(target, link)
    os.replace(link, folder / LATEST)


def latest_snapshot(db: Path) -> Path:
    """The stable path of the newest snapshot of warehouse `db`."""
    path = snapshots_dir(db) / LATEST
    if not path.exists():
        raise SnapshotError(f"no analysts' snapshot at {path}: run `market-oversight snapshot --db {db}`")
    return path


def snapshot_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The snapshot to open: `path`, else $MARKET_OVERSIGHT_SNAPSHOT, else the latest snapshot of the
    default warehouse ($MARKET_OVERSIGHT_DB, else var/warehouse.duckdb)."""
    chosen = path or os.environ.get(SNAPSHOT_ENV)
    if not chosen:
        return latest_snapshot(resolve_db(None))
    found = Path(chosen).expanduser().resolve()
    if not found.is_file():
        raise SnapshotError(f"no analysts' snapshot at {found}: run `market-oversight snapshot`")
    return found


def open_snapshot(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the analysts' snapshot (see `snapshot_path` for which one)."""
    found = snapshot_path(path)
    try:
        return store.connect(found, read_only=True)
    except (WarehouseTooNew, SnapshotError):
        raise
    except WarehouseError as exc:
        if "lacks schema migrations" in str(exc):
            raise SnapshotError(f"{found} was taken by an older version of Care Market Oversight; "
                                "run `market-oversight snapshot` to publish a current one") from None
        raise


def snapshot_taken_at(con: duckdb.DuckDBPyConnection) -> datetime:
    """When the snapshot open on `con` was taken (UTC), as `publish_snapshot` recorded it."""
    return store.run(con, "analyst/snapshot_taken_at").fetchall()[0][0]


def notebook_snapshot(
    path: str | os.PathLike[str] | None = None,
) -> tuple[Path, duckdb.DuckDBPyConnection, datetime]:
    """What a notebook opens first: the snapshot's path (see `snapshot_path`), a read-only connection
    to it, and when it was taken (UTC), for the notebook's heading."""
    found = snapshot_path(path)
    con = open_snapshot(found)
    return found, con, snapshot_taken_at(con)


def scratch_copy(snapshot: Path, folder: Path) -> Path:
    """A writable copy of a snapshot in `folder`, with its casework file rebuilt from the snapshot's
    casework mirror, for jobs that need a read-write warehouse (a backtest, what-if thresholds).
    Nothing done to it reaches the snapshot or the warehouse. Returns the copy's path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "scratch.duckdb"
    for old in (target.with_name(target.name + ".wal"), casework_path(target),
                casework_path(target).with_name(casework_path(target).name + ".wal")):
        old.unlink(missing_ok=True)
    shutil.copyfile(snapshot, target)
    os.chmod(target, 0o644)
    with store.casework(target) as cw:
        cw.execute("attach $path as snapshot_copy (read_only)", {"path": str(snapshot)})
        try:
            for table in store.CASEWORK_TABLES:  # identifiers from the fixed list in store
                cw.execute(f"insert into main.{table} by name select * from snapshot_copy.casework_mirror.{table}")
        finally:
            cw.execute("detach snapshot_copy")
    return target
