"""The only module that opens DuckDB connections.

Two files make a warehouse: the warehouse itself (register, ratings, returns, scores), written by the
command-line jobs, and a small casework file beside it (notes, actions, suspensions, overrides),
written by the app in short transactions. Each has its own ordered migrations under `sql/`.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from functools import cache
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from market_oversight.errors import StorageError, WarehouseBusy, WarehouseError, WarehouseTooNew
from market_oversight.paths import casework_path, files_named, serving_dir, snapshots_dir, sql_dir

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_LOCKED = ("Could not set lock", "Conflicting lock", "database is locked")
# Writing failed for want of room or of permission: errno values, and DuckDB's wording of them.
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EDQUOT}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM}
_STORAGE_WORDS = ("No space left on device", "File too large", "Read-only file system",
                  "Disk quota exceeded", "Permission denied")


# DuckDB's words when a query that spills to disk finds no room for its temporary files (it reports
# an out-of-memory error, though memory is not what ran out).
_SPILL_WORDS = ("failed to offload data block", "max_temp_directory_size")
SPILL_FULL = "no space left on device for temporary files (a large job spills to disk)"


def _storage_problem(exc: BaseException, errnos: set[int]) -> str | None:
    if isinstance(exc, OSError) and exc.errno in errnos:
        return exc.strerror or os.strerror(exc.errno)
    if isinstance(exc, duckdb.OutOfMemoryException) and any(w in str(exc) for w in _SPILL_WORDS):
        return SPILL_FULL
    if isinstance(exc, duckdb.Error):
        return next((w for w in _STORAGE_WORDS if w in str(exc)), None)
    return None


@contextmanager
def _writing(path: Path, consequence: str, *, errnos: set[int] = _FULL_ERRNOS) -> Iterator[None]:
    """Turn a full disk or an unwritable file into a StorageError naming the path and what became
    of the work. (Permission errors count only where we write: a source file we cannot read is the
    importers' to report.)"""
    try:
        yield
    except (OSError, duckdb.Error) as exc:
        problem = _storage_problem(exc, errnos)
        if problem is None:
            raise
        where = exc.filename if isinstance(exc, OSError) and exc.filename else path
        raise StorageError(f"cannot write {where}: {problem.lower()}; {consequence}") from exc


def copy_held_database(src: Path, dst: Path) -> None:
    """Copy database file `src`, which this process holds open with DuckDB, to `dst`.

    DuckDB's lock on its file is a POSIX record lock, which the kernel drops when the process closes
    any descriptor of that file: copied in this process (shutil), the warehouse would be unlocked for
    the rest of the job and a second job could open it and write alongside. `cp` copies it in a
    process of its own. Its failure is the OSError it met (ENOSPC, EFBIG, ...) where it names one."""
    done = subprocess.run(["cp", "--", str(src), str(dst)], capture_output=True, text=True,
                          restore_signals=False)  # past RLIMIT_FSIZE: EFBIG, as here, not SIGXFSZ
    if done.returncode:
        code = next((c for c in sorted(_FULL_ERRNOS | _DENIED_ERRNOS) if os.strerror(c) in done.stderr),
                    errno.EIO)
        raise OSError(code, done.stderr.strip() if code == errno.EIO else os.strerror(code), str(dst))


def write_whole(path: Path, data: bytes, consequence: str) -> Path:
    """Write a file whole or not at all (through a temporary file beside it, renamed into place); a
    full disk or an unwritable folder becomes StorageError saying `consequence`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with _writing(path, consequence, errnos=_FULL_ERRNOS | _DENIED_ERRNOS):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return path


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back while an error propagates. After a failed write DuckDB may already have aborted
    the transaction (or invalidated the connection); that must not hide the error that caused it."""
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass


@cache
def sql(name: str) -> str:
    """The text of `sql/<name>.sql`; names come from code, never from users."""
    path = sql_dir() / f"{name}.sql"
    if not path.is_file():
        raise WarehouseError(f"missing SQL file {path}")
    return path.read_text(encoding="utf-8")


# A statement's own declarations, in comment lines of its file: the values it binds
# (`-- params: as_of, hash`) and, for a scoring step, the staged tables it reads (`-- reads: ...`).
_DECLARED = re.compile(r"^--\s*(params|reads):(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Statement:
    """`sql/<name>.sql` with what it declares (tests/test_sql_runner.py checks each declaration
    against the text)."""
    name: str
    text: str
    params: frozenset[str]
    reads: frozenset[str]

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """The declared parameters' values, taken from `given`, which may hold more (a scoring step
        picks its own from every threshold); a declared one missing is an error naming the file."""
        missing = self.params - given.keys()
        if missing:
            raise WarehouseError(f"sql/{self.name}.sql needs {', '.join(sorted(missing))}, which were not given")
        return {name: given[name] for name in sorted(self.params)}


@cache
def statement(name: str) -> Statement:
    declared: dict[str, set[str]] = {"params": set(), "reads": set()}
    text = sql(name)
    for kind, names in _DECLARED.findall(text):
        declared[kind].update(n.strip() for n in names.split(",") if n.strip())
    return Statement(name, text, frozenset(declared["params"]), frozenset(declared["reads"]))


def _exact(stmt: Statement, params: dict[str, Any]) -> dict[str, Any]:
    unexpected = params.keys() - stmt.params
    if unexpected:
        raise WarehouseError(f"sql/{stmt.name}.sql does not take {', '.join(sorted(unexpected))}")
    return stmt.bind(params)


def run(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run `sql/<name>.sql` with exactly the parameters it declares (one missing or one too many is
    an error naming the file); the connection, to fetch from."""
    stmt = statement(name)
    return con.execute(stmt.text, _exact(stmt, params))


def query(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    """`run`, as a polars frame."""
    stmt = statement(name)
    return frame(con, stmt.text, _exact(stmt, params))


def migrations(kind: str = "migrations") -> list[tuple[int, str, str]]:
    """(version, file name, text) for every migration of a kind (`migrations` or `casework`)."""
    found = []
    for path in files_named(sql_dir() / kind, ".sql"):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise WarehouseError(f"migration file {path} is not named NNN_name.sql")
        found.append((int(m.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations in sql/{kind} share a version number")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'meta' and table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return set()
    return {v for (v,) in con.execute("select version from meta.schema_version").fetchall()}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return max(applied_versions(con), default=0)


def _check_not_newer(path: Path, applied: set[int], known: set[int]) -> None:
    unknown = applied - known
    if unknown:
        raise WarehouseTooNew(
            f"{path} has schema migrations {sorted(unknown)} that this program does not know "
            "(it was written by a newer version); upgrade Care Market Oversight to open it"
        )


def _migrate(con: duckdb.DuckDBPyConnection, path: Path, kind: str) -> None:
    """Apply, in order and in one transaction, every known migration the file lacks."""
    known = migrations(kind)
    applied = applied_versions(con)
    _check_not_newer(path, applied, {v for v, _, _ in known})
    pending = [(v, n, t) for v, n, t in known if v not in applied]
    if not pending:
        return
    con.execute("begin")
    try:
        con.execute("create schema if not exists meta")
        con.execute(
            "create table if not exists meta.schema_version "
            "(version integer primary key, name varchar not null, applied_at timestamp not null)"
        )
        for version, name, text in pending:
            con.execute(text)
            con.execute(
                "insert into meta.schema_version values ($v, $n, current_timestamp)",
                {"v": version, "n": name},
            )
        con.execute("commit")
    except Exception:
        _rollback(con)
        raise


def _create_marts(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view in sql/marts/ as mart.<file stem>; views may read one another."""
    pending = {p.name.removesuffix(".sql"): p.read_text(encoding="utf-8")
               for p in files_named(sql_dir() / "marts", ".sql")}
    con.execute("create schema if not exists mart")
    while pending:
        progressed, last_error = False, None
        for name, body in list(pending.items()):
            try:
                con.execute(f"create or replace view mart.{name} as\n{body}")  # name from our file list
            except duckdb.CatalogException as exc:  # reads a mart not created yet: next pass
                last_error = exc
                continue
            del pending[name]
            progressed = True
        if not progressed:
            raise WarehouseError(f"cannot create mart views {sorted(pending)}: {last_error}")


CASEWORK_TABLES = ("notes", "actions", "quality_assessments", "placement_suspensions",
                   "rag_overrides", "concerns", "concern_stages", "concern_meetings", "concern_actions",
                   "concern_enquiries", "contingency_plans", "oversight_notices")


def refresh_casework_mirror(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    """Copy the casework tables into schema `casework_mirror` of the warehouse, so that marts,
    scores and the analysts' snapshot see casework as of the last job. (The audit log stays in the
    casework file alone; its head is added to `casework_mirror.audit_heads`, see `audit`.) Runs on
    every read-write open of the warehouse."""
    with casework_attached(con, db):
        con.execute("begin")
        try:
            con.execute("create schema if not exists casework_mirror")
            for table in CASEWORK_TABLES:  # identifiers from the fixed list above
                con.execute(f"create or replace table casework_mirror.{table} as "
                            f"select * from casework.main.{table}")
            con.execute("create table if not exists casework_mirror.audit_heads "
                        "(published_at timestamp not null, seq bigint not null, row_hash varchar not null)")
            run(con, "audit/publish_head")
            con.execute("commit")
        except Exception:
            _rollback(con)
            raise


# The casework tables that decide the RAG in force (mart.risk_history reads them by these bare names).
RAG_CASEWORK_TABLES = ("rag_overrides", "placement_suspensions", "concerns", "concern_stages")
# The casework tables the app binds live over their marts' bare names: those that decide the RAG, and
# the contingency register (the watchlist's overdue reviews, notices on every page at once).
LIVE_CASEWORK_TABLES = (*RAG_CASEWORK_TABLES, "contingency_plans", "oversight_notices")


def casework_stamp(db: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """The casework file's and its write-ahead log's (modification time, size, inode), or None for
    one that does not exist: a committed write changes at least one (reads change neither)."""
    stamp, file = [], casework_path(db)
    for path in (file, file.with_name(file.name + ".wal")):
        try:
            found = path.stat()
        except FileNotFoundError:
            stamp.append(None)
        else:
            stamp.append((found.st_mtime_ns, found.st_size, found.st_ino))
    return tuple(stamp)


def read_casework_tables(db: Path, tables: tuple[str, ...] = RAG_CASEWORK_TABLES) -> dict[str, pa.Table]:
    """The live rows of casework tables (names from CASEWORK_TABLES), read in one snapshot."""
    unknown = set(tables) - set(CASEWORK_TABLES)
    if unknown:
        raise WarehouseError(f"not casework tables: {sorted(unknown)}")
    with casework(db, writing=False) as con:
        con.execute("begin")
        try:
            # identifiers from the fixed list above
            return {t: con.sql(f"select * from main.{t}").to_arrow_table() for t in tables}
        finally:
            con.execute("rollback")


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `market-oversight demo` or an ingest first")
    if not read_only:
        with _writing(path.parent, "nothing was written", errnos=_FULL_ERRNOS | _DENIED_ERRNOS):
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if any(s in str(exc) for s in _LOCKED):
            raise WarehouseBusy(f"{path} is in use by another process; try again shortly") from exc
        problem = _storage_problem(exc, _FULL_ERRNOS | _DENIED_ERRNOS)
        if problem is not None:
            raise StorageError(f"cannot open {path} for writing: {problem.lower()}") from exc
        raise WarehouseError(f"cannot open {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open {path}: {exc}") from exc


@dataclass(frozen=True)
class JobLimits:
    """A job's share of the machine while the app serves people ([jobs] in the settings)."""
    threads: int                        # DuckDB threads; 0: every core but one (at least one)
    memory_megabytes: int               # DuckDB's memory; past it, it spills to temp_directory
    temp_directory: Path | None         # None: <warehouse>.tmp beside the warehouse
    niceness: int                       # the job process's Unix niceness, raised to this at start
    wait_seconds: float = 0.0           # wait this long for another job to let go of the warehouse
    on_queue: Callable[[bool], None] | None = None   # told True on starting to wait, False at its turn

    def duckdb_threads(self) -> int:
        return self.threads or max(1, (os.cpu_count() or 2) - 1)


# What a job waiting for the warehouse says on its standard error (the upload page reads it).
WAITING_LINE = "market-oversight: waiting: another job holds the warehouse"
TURN_LINE = "market-oversight: the warehouse is free; carrying on"

_job: JobLimits | None = None   # set by `run_as_job` at the start of a job process; None elsewhere


def run_as_job(limits: JobLimits | None) -> None:
    """Make this process a job: lower its priority now, and give every read-write open of the
    warehouse from here on the limits' threads, memory and spill folder. The command line calls it
    once at start (cli.run); None forgets the limits (tests), though priority cannot be raised back."""
    global _job
    _job = limits
    if limits is not None:
        current = os.nice(0)
        if limits.niceness > current:
            os.nice(limits.niceness - current)


def _as_job(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The one place a job's DuckDB limits are set: on its read-write connection to the warehouse."""
    if _job is None:
        return
    spill = _job.temp_directory or path.with_name(path.name + ".tmp")
    con.execute("set threads = $t", {"t": _job.duckdb_threads()})
    con.execute("set memory_limit = $m", {"m": f"{_job.memory_megabytes}MB"})
    con.execute("set temp_directory = $d", {"d": str(spill)})


def _open_waiting(path: Path) -> duckdb.DuckDBPyConnection:
    """Open read-write, waiting up to the job's `wait_seconds` while another job holds the file (the
    warehouse has one writer at a time, so uploads queue behind a running load)."""
    deadline = time.monotonic() + (_job.wait_seconds if _job is not None else 0.0)
    tell = _job.on_queue if _job is not None and _job.on_queue is not None else (lambda waiting: None)
    waited = False
    while True:
        try:
            con = _open(path, read_only=False)
        except WarehouseBusy:
            if time.monotonic() >= deadline:
                raise
            if not waited:
                tell(True)
                waited = True
            time.sleep(0.5)
            continue
        if waited:
            tell(False)
        return con


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; read-write opens bring its schema up to date and refresh the marts, with
    the job's limits (`run_as_job`) in force."""
    con = _open(path, read_only=True) if read_only else _open_waiting(path)
    try:
        if read_only:
            applied = applied_versions(con)
            known = {v for v, _, _ in migrations()}
            _check_not_newer(path, applied, known)
            if known - applied:
                raise WarehouseError(
                    f"{path} lacks schema migrations {sorted(known - applied)}; open it once "
                    "read-write (any market-oversight command) to upgrade it"
                )
        else:
            _as_job(con, path)
            remove_orphan_copies(path)
            with _writing(path, "the warehouse is as it was before this command"):
                _migrate(con, path, "migrations")
                refresh_casework_mirror(con, path)
                _create_marts(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def warehouse(path: Path, *, read_only: bool = False,
              publish: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse; after a read-write use that ends without error, publish a serving copy."""
    con = connect(path, read_only=read_only)
    try:
        with _writing(path, "the transaction in progress was rolled back: the warehouse is as it "
                            "was before it"):
            yield con
        if not read_only and publish:
            with _writing(serving_dir(path), "the work was committed to the warehouse, but the app "
                                             "shows the previous copy until a job can publish one"):
                publish_serving_copy(con, path)
    finally:
        con.close()


# Copies are written as hidden `.<name>.<pid>.tmp` files (with DuckDB's `.wal` beside a snapshot's)
# and renamed into place when whole; a process killed meanwhile leaves one behind.
_ORPHANS = ".*.tmp*"


def temporary_path(folder: Path, name: str) -> Path:
    """Where this process writes `folder/name` before renaming it into place."""
    return folder / f".{name}.{os.getpid()}.tmp"


def remove_orphan_copies(db: Path) -> list[Path]:
    """Delete the half-written copies a killed job left in the serving and snapshot folders of `db`.

    Only the process holding `db` read-write writes copies there, so the caller, holding it, knows
    that every temporary file not named with its own process id is an orphan (its own may be in
    progress on another thread). Returns what was removed."""
    mine = f".{os.getpid()}.tmp"
    removed = []
    for folder in (serving_dir(db), snapshots_dir(db)):
        for orphan in folder.glob(_ORPHANS):
            if mine in orphan.name:
                continue
            try:
                orphan.unlink()
            except OSError:  # gone already, or not ours to remove: the next job tries again
                continue
            removed.append(orphan)
    return removed


SERVING_POINTER = "CURRENT"
SERVING_KEEP = 3
# The tables of schema `serving` (migration 106), each refilled from sql/serving/<name>.sql on publishing.
SERVING_TABLES = ("location_latest", "search_entries")


def refresh_serving_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Refill the app's first-paint tables (schema `serving`) from the database `con` holds, in one
    transaction: what pages would otherwise compute from whole tables of the market on every render
    is computed once per published copy."""
    with transaction(con):
        for table in SERVING_TABLES:  # identifiers from the fixed list above
            con.execute(f"delete from serving.{table}")
            con.execute(f"insert into serving.{table} by name ({sql(f'serving/{table}')})")


def publish_serving_copy(con: duckdb.DuckDBPyConnection, db: Path) -> Path:
    """Copy the warehouse, as committed, to a new file in the serving folder, fill the copy's serving
    tables and point CURRENT at it.

    The app reads only serving copies, read-only, so a long load never blocks it and it never sees a
    half-finished load. The copy is taken by the process holding the warehouse, after a checkpoint, so
    it is consistent; CURRENT is switched with an atomic rename. The serving tables are filled in the
    copy alone: filled in the warehouse, by a transaction of their own after the job's, a job killed
    between the two commits would leave them behind the tables they are made from."""
    con.execute("checkpoint")
    folder = serving_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    remove_orphan_copies(db)
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 1_000_000_000:09d}.duckdb"
    tmp = temporary_path(folder, name)
    try:
        copy_held_database(db, tmp)
        with duckdb.connect(str(tmp)) as copy:
            _as_job(copy, db)  # the job's limits, spilling where the warehouse does
            refresh_serving_tables(copy)
            copy.execute("checkpoint")
    except BaseException:
        tmp.unlink(missing_ok=True)  # a half-written copy must not fill the disk further
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        raise
    os.replace(tmp, folder / name)
    pointer_tmp = temporary_path(folder, SERVING_POINTER)
    pointer_tmp.write_text(name, encoding="utf-8")
    os.replace(pointer_tmp, folder / SERVING_POINTER)
    # Older copies go; a process that still has one open keeps reading it (POSIX unlink semantics).
    for old in sorted(folder.glob("*.duckdb"))[:-SERVING_KEEP]:
        old.unlink(missing_ok=True)
    return folder / name


def current_serving_copy(db: Path) -> Path:
    """The newest published copy of the warehouse (the warehouse itself if none was published)."""
    pointer = serving_dir(db) / SERVING_POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return db
    path = pointer.parent / name
    return path if path.exists() else db


_CASEWORK_LOCKS: dict[tuple[Path, str], threading.RLock] = {}
_CASEWORK_LOCKS_GUARD = threading.Lock()


def _casework_lock(path: Path, purpose: str) -> threading.RLock:
    """One lock per casework file and purpose in this process: `write` for write transactions,
    `open` for opening and closing connections (DuckDB's cache of open files is not safe against
    two threads opening, or one opening while another closes the last connection, at once)."""
    with _CASEWORK_LOCKS_GUARD:
        return _CASEWORK_LOCKS.setdefault((path.resolve(), purpose), threading.RLock())


@contextmanager
def casework(db: Path, *, wait_seconds: float = 10.0, writing: bool = True,
             turn_seconds: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-write connection to the casework file beside `db`, waiting while another
    process holds it (writes there take milliseconds, so the wait is short).

    Within one process (the app serves every user from one), writes take turns: two overlapping
    write transactions would both claim the next place in the audit chain and one would fail on
    commit, so the second user waits a moment instead of seeing an error. Readers (`writing=False`)
    do not queue: DuckDB gives each its own snapshot."""
    path = casework_path(db)
    lock = _casework_lock(path, "write") if writing else None
    if lock is not None and not lock.acquire(timeout=turn_seconds):
        raise WarehouseBusy(f"{path} is busy with other users' changes; try again shortly")
    try:
        with _casework_connection(path, wait_seconds) as con:
            yield con
    finally:
        if lock is not None:
            lock.release()


CASEWORK_ATTACH_WAIT_SECONDS = 10.0   # how long a job's attach of the casework file waits for its turn


def _job_waiting_marker(path: Path) -> Path:
    return path.with_name(path.name + ".job-waiting")


def _job_is_waiting(path: Path) -> bool:
    """A job's attach of the casework file (casework_attached) is waiting: saves and reads, which
    open the file many times a second while people use the app, give it the next turn. A marker
    older than the longest wait is a job's that was killed, and is ignored."""
    try:
        age = time.time() - _job_waiting_marker(path).stat().st_mtime
    except FileNotFoundError:
        return False
    return age < CASEWORK_ATTACH_WAIT_SECONDS


@contextmanager
def _casework_connection(path: Path, wait_seconds: float) -> Iterator[duckdb.DuckDBPyConnection]:
    opening = _casework_lock(path, "open")
    deadline = time.monotonic() + wait_seconds
    while True:
        if _job_is_waiting(path) and time.monotonic() < deadline:
            time.sleep(0.05)
            continue
        try:
            with opening:
                con = _open(path, read_only=False)
                if not _up_to_date(con, "casework"):
                    with _writing(path, "this change was not saved"):
                        _migrate(con, path, "casework")
            break
        except WarehouseBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        with _writing(path, "this change was not saved"):
            yield con
    finally:
        with opening:
            con.close()


def _up_to_date(con: duckdb.DuckDBPyConnection, kind: str) -> bool:
    """One cheap query instead of the catalogue look-ups of `_migrate`, for the common case of a
    file already at this program's newest version (every open of the casework file asks)."""
    try:
        newest = con.execute("select max(version) from meta.schema_version").fetchall()[0][0]
    except duckdb.Error:  # no such table yet (DuckDB may report it as a failed replacement scan)
        return False
    return newest == _newest_known(kind)


@cache
def _newest_known(kind: str) -> int:
    return max((v for v, _, _ in migrations(kind)), default=0)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a load that fails or is killed part-way leaves the warehouse as it was."""
    con.execute("begin")
    try:
        yield con
    except BaseException:
        _rollback(con)
        raise
    con.execute("commit")


@contextmanager
def casework_attached(con: duckdb.DuckDBPyConnection, db: Path, *,
                      wait_seconds: float = CASEWORK_ATTACH_WAIT_SECONDS) -> Iterator[str]:
    """Attach the casework file read-only to a warehouse connection as schema `casework`, for jobs
    (scoring, alerts, backtests) that join casework to the warehouse. Yields the alias.

    While the app holds the file (each save and casework read, milliseconds each), the attach waits;
    it leaves a marker beside the file so that the app's next opens wait for it instead of taking
    the file again, as a busy app otherwise did for the whole wait (a load failed with "in use")."""
    path = casework_path(db)
    if not path.exists():
        with casework(db, wait_seconds=wait_seconds):
            pass
    deadline = time.monotonic() + wait_seconds
    marker = _job_waiting_marker(path)
    try:
        while True:
            try:
                con.execute("attach $path as casework (read_only)", {"path": str(path)})
                break
            except duckdb.IOException as exc:
                if not any(s in str(exc) for s in _LOCKED) or time.monotonic() > deadline:
                    raise WarehouseBusy(f"{path} is in use by another process; try again shortly") from exc
                with suppress(OSError):  # a folder we may not write: wait unannounced
                    marker.touch()
                time.sleep(0.05)
    finally:
        with suppress(OSError):
            marker.unlink(missing_ok=True)
    try:
        yield "casework"
    finally:
        con.execute("detach casework")



def frame(con: duckdb.DuckDBPyConnection, query: str, params: dict | None = None) -> pl.DataFrame:
    """Run a query and return a polars frame (duckdb 2.0 connections have no `.pl()`; relations do)."""
    return con.sql(query, params=params or {}).pl()
