"""Loading an uploaded file: the same `market-oversight ingest` command a scheduled load uses, run
as a background process of its own (a job, with the [jobs] share of the machine), so the app never
holds the warehouse read-write and no page's thread waits on a load (docs/design.md). The command
publishes a new serving copy when it finishes; the app reads that copy next.

The file has already been checked and kept by `uploads.receive_upload`. `start_ingest` starts the
load and writes a small record of it beside the kept files; the page follows it with `job_status`
(a progress share and a line of text, then the result), which records the outcome in the audit
log once. The warehouse has one writer: a load started while another runs waits for it (`--wait`),
and its status names the load it waits for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from market_oversight import audit, roles, store
from market_oversight.errors import UploadError
from market_oversight.ingest.batch import LoadResult
from market_oversight.paths import uploads_dir
from market_oversight.roles import Permission, User

# What the file holds → (ingest sub-command, what people call it)
KINDS: dict[str, tuple[str, str]] = {
    "returns": ("returns", "Monthly returns from providers (care home or home care)"),
    "fees": ("fees", "Fee rates the council pays"),
    "benchmarks": ("benchmarks", "Benchmark rates (usual rates, Fair Cost of Care)"),
    "cqc": ("cqc", "CQC register and ratings (a CQC bulk file)"),
}
TIMEOUT_SECONDS = 600
UPLOAD_LOADED = "upload_loaded"
_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class UploadJob:
    """A load started from the upload page: its process and what it loads."""
    job_id: str
    pid: int
    kind: str
    file_name: str               # as uploaded
    saved: str                   # where it was kept
    actor: str                   # who uploaded it (for the audit row)
    started: float               # time.time() at start


@dataclass(frozen=True)
class JobStatus:
    """What the page shows: a progress share and text while the load waits or runs; then its
    result, or the one-line error a failed load gives."""
    share: float
    text: str
    done: bool = False
    result: LoadResult | None = None
    error: UploadError | None = None


def jobs_dir(db: Path) -> Path:
    return uploads_dir(db) / "jobs"


def start_ingest(db: Path, user: User, kind: str, saved: Path, file_name: str | None = None) -> UploadJob:
    """Start loading the saved file in a background process and return at once."""
    roles.require(user, Permission.UPLOAD)
    if kind not in KINDS:
        raise UploadError(f"Choose what the file holds: one of {', '.join(KINDS)}")
    job_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    folder = jobs_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "market_oversight", "ingest", KINDS[kind][0], str(saved),
               "--db", str(db), "--json", "--wait", str(TIMEOUT_SECONDS)]
    with (folder / f"{job_id}.out").open("wb") as out, (folder / f"{job_id}.err").open("wb") as err:
        # its own session: the load carries on if the app's server is restarted meanwhile
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    job = UploadJob(job_id, process.pid, kind, file_name or saved.name, str(saved), user.email, time.time())
    _write_record(db, job, {})
    return job


def job_status(db: Path, job: UploadJob) -> JobStatus:
    """Where the load stands. When it has ended, its result (audited once) or its error."""
    elapsed = time.time() - job.started
    if _running(job.pid):
        if elapsed > TIMEOUT_SECONDS:
            _stop(job.pid)
            return JobStatus(1.0, "Stopped", done=True, error=UploadError(
                f"The load took more than {TIMEOUT_SECONDS // 60} minutes and was stopped; nothing was "
                "stored. Try again later or ask the data team to load it."))
        if _waiting(db, job):
            ahead = _load_ahead(db, job)
            what = f"the load of {ahead.file_name}" if ahead else "another job (a scheduled load or scoring)"
            return JobStatus(0.0, f"Waiting for {what} to finish: the warehouse takes one load at a time… "
                                  f"{elapsed:.0f} seconds so far")
        # The command reports no progress of its own: show time passing on a curve short of 100%.
        return JobStatus(min(0.95, elapsed / (elapsed + 5)), f"Loading… {elapsed:.0f} seconds so far")
    folder = jobs_dir(db)
    stdout = (folder / f"{job.job_id}.out").read_text(encoding="utf-8", errors="replace")
    stderr = (folder / f"{job.job_id}.err").read_text(encoding="utf-8", errors="replace")
    try:
        load = _parse(stdout, stderr, job.file_name, job.saved)
    except UploadError as exc:
        _finish_record(db, job, None)
        return JobStatus(1.0, "Finished", done=True, error=exc)
    _finish_record(db, job, load)
    return JobStatus(1.0, "Finished", done=True, result=load)


def run_ingest(db: Path, user: User, kind: str, saved: Path,
               on_progress: Callable[[float, str], None] | None = None,
               file_name: str | None = None) -> LoadResult:
    """Load the saved file through the ingest command, wait for it, and return its batch result.

    Raises UploadError with the command's own one-line message (naming the file as uploaded,
    `file_name`, not where it was kept) when the file is refused."""
    job = start_ingest(db, user, kind, saved, file_name)
    while True:
        status = job_status(db, job)
        if on_progress:
            on_progress(status.share, status.text)
        if status.done:
            break
        time.sleep(_POLL_SECONDS)
    if status.error is not None:
        raise status.error
    assert status.result is not None
    return status.result


def _running(pid: int) -> bool:
    """Whether the process is still running. The app started it, so it reaps it once ended (a
    process started by an earlier run of the app is only looked for)."""
    try:
        ended, _ = os.waitpid(pid, os.WNOHANG)
        return ended == 0
    except ChildProcessError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _stop(pid: int) -> None:
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _waiting(db: Path, job: UploadJob) -> bool:
    """Whether the load is waiting for the warehouse: the last word on it in its error output."""
    try:
        said = (jobs_dir(db) / f"{job.job_id}.err").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return said.rfind(store.WAITING_LINE) > said.rfind(store.TURN_LINE)


def _load_ahead(db: Path, job: UploadJob) -> UploadJob | None:
    """Another upload's load still running, or ended a moment ago (the oldest): the one a waiting
    load waits for."""
    ahead = []
    for path in jobs_dir(db).glob("*.json"):
        record = _read_record(path)
        if record is None or record["job_id"] == job.job_id:
            continue
        other = UploadJob(**{k: record[k] for k in UploadJob.__dataclass_fields__})
        if (_running(other.pid) or _just_ended(db, other)) and not _waiting(db, other):
            ahead.append(other)
    return min(ahead, key=lambda j: (j.started, j.job_id), default=None)


def _just_ended(db: Path, job: UploadJob, seconds: float = 30.0) -> bool:
    """Whether a load's process ended a moment ago: the load waiting behind it has not yet seen the
    warehouse free, and is still waiting for that load, not for some other job."""
    try:
        return time.time() - (jobs_dir(db) / f"{job.job_id}.out").stat().st_mtime < seconds
    except OSError:
        return False


def _read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):  # removed, or being replaced: not a load to wait for
        return None


def _write_record(db: Path, job: UploadJob, extra: dict) -> None:
    store.write_whole(jobs_dir(db) / f"{job.job_id}.json",
                      json.dumps({**asdict(job), **extra}).encode("utf-8"),
                      "the load's record was not written")


def _finish_record(db: Path, job: UploadJob, load: LoadResult | None) -> None:
    """Mark the load ended and, the first time a loaded file is seen ended, audit it."""
    record = _read_record(jobs_dir(db) / f"{job.job_id}.json") or {}
    if record.get("ended"):
        return
    if load is not None:
        audit.record_event(db, job.actor, UPLOAD_LOADED, load.batch_id, {
            "kind": job.kind, "file": job.file_name, "saved_as": Path(job.saved).name, "status": load.status,
            "rows_read": load.rows_read, "rows_loaded": load.rows_loaded,
            "rows_quarantined": load.rows_quarantined})
    _write_record(db, job, {"ended": True})


def _parse(stdout: str, stderr: str, file_name: str, saved: str) -> LoadResult:
    for line in reversed(stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and "batch_id" in data:
            return LoadResult(**data)
    message = _error_line(stderr).replace(f"{saved}: ", "").replace(saved, file_name)
    if "in use by another process" in message:
        raise UploadError("Another load is running on the warehouse. Wait a minute, then upload the file again.")
    raise UploadError(f"{file_name} was not loaded: {message or 'the load stopped without a message'}. "
                      "Correct the file and upload it again; nothing was stored.")


def _error_line(stderr: str) -> str:
    for line in reversed(stderr.strip().splitlines()):
        if line.startswith("market-oversight: error:"):
            return line.removeprefix("market-oversight: error:").strip()
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
