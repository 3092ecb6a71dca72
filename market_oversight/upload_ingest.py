"""Loading an uploaded file: the same `market-oversight ingest` command a scheduled load uses, run
as a separate process, so the app itself never holds the warehouse read-write (docs/design.md).
The command publishes a new serving copy when it finishes; the app reads that copy next.

The file has already been checked and kept by `uploads.receive_upload`; this module runs the load
and records its outcome in the audit log."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from market_oversight import audit, roles
from market_oversight.errors import UploadError
from market_oversight.ingest.batch import LoadResult
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


def run_ingest(db: Path, user: User, kind: str, saved: Path,
               on_progress: Callable[[float, str], None] | None = None,
               file_name: str | None = None) -> LoadResult:
    """Load the saved file through the ingest command and return its batch result.

    Raises UploadError with the command's own one-line message (naming the file as uploaded,
    `file_name`, not where it was kept) when the file is refused."""
    file_name = file_name or saved.name
    roles.require(user, Permission.UPLOAD)
    if kind not in KINDS:
        raise UploadError(f"Choose what the file holds: one of {', '.join(KINDS)}")
    command = [sys.executable, "-m", "market_oversight", "ingest", KINDS[kind][0],
               str(saved), "--db", str(db), "--json"]
    result = _run(command, on_progress)
    load = _parse(result, file_name, str(saved))
    audit.record_event(db, user.email, UPLOAD_LOADED, load.batch_id, {
        "kind": kind, "file": file_name, "saved_as": saved.name, "status": load.status, "rows_read": load.rows_read,
        "rows_loaded": load.rows_loaded, "rows_quarantined": load.rows_quarantined})
    return load


def _run(command: list[str], on_progress: Callable[[float, str], None] | None
         ) -> subprocess.CompletedProcess:
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while process.poll() is None:
        elapsed = time.monotonic() - started
        if elapsed > TIMEOUT_SECONDS:
            process.kill()
            process.wait()
            raise UploadError(f"The load took more than {TIMEOUT_SECONDS // 60} minutes and was stopped; "
                              "nothing was stored. Try again later or ask the data team to load it.")
        if on_progress:
            # The command reports no progress of its own: show time passing on a curve short of 100%.
            on_progress(min(0.95, elapsed / (elapsed + 5)), f"Loading… {elapsed:.0f} seconds so far")
        time.sleep(0.2)
    stdout, stderr = process.communicate()
    if on_progress:
        on_progress(1.0, "Finished")
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _parse(result: subprocess.CompletedProcess, file_name: str, saved: str) -> LoadResult:
    for line in reversed(result.stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and "batch_id" in data:
            return LoadResult(**data)
    message = _error_line(result.stderr).replace(f"{saved}: ", "").replace(saved, file_name)
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
