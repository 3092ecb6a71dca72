"""Jobs that leave room for people: a job's DuckDB connection takes the [jobs] share of the
machine, its process runs at a lower priority, and uploads load in a process of their own,
one at a time (docs/design.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from market_oversight import cli, roles, store, upload_ingest, uploads
from market_oversight.config import load_settings, settings_from
from market_oversight.errors import ConfigError

CQC_SAMPLE = "cqc_asc_locations_with_subratings_2025-08_head.csv"
OFFICER = roles.User("data@kingsmere.example", "Data officer", roles.Role.DATA_OFFICER)


@pytest.fixture
def as_job() -> Iterator[None]:
    """Forget the job's limits afterwards (this test process's priority is left as it was: the
    limits below ask for no more niceness than it has)."""
    yield
    store.run_as_job(None)


def _settings(db_threads: int, megabytes: int, spill: Path) -> store.JobLimits:
    return cli.job_limits(settings_from({"jobs": {"threads": db_threads, "memory_limit_megabytes": megabytes,
                                                  "temp_directory": str(spill), "niceness": os.nice(0)}}))


def _setting(con, name: str) -> str:
    return str(con.execute("select current_setting($n)", {"n": name}).fetchone()[0])


def test_a_job_connection_gets_the_configured_threads_memory_and_spill_folder(db_path: Path, tmp_path: Path,
                                                                             as_job: None) -> None:
    # given a process made a job with 1 thread and 300 MB
    store.run_as_job(_settings(1, 300, tmp_path / "spill"))
    # when it opens the warehouse read-write
    with store.warehouse(db_path) as con:
        threads, memory, spill = (_setting(con, n) for n in ("threads", "memory_limit", "temp_directory"))
    # then DuckDB runs with those limits
    assert threads == "1"
    assert memory.startswith(("286", "300")), memory   # DuckDB shows MiB
    assert spill == str(tmp_path / "spill")


def test_a_job_with_more_threads_gets_them_and_a_reader_is_left_alone(db_path: Path, tmp_path: Path,
                                                                      as_job: None) -> None:
    with store.warehouse(db_path):
        pass
    store.run_as_job(_settings(3, 200, tmp_path / "spill"))
    with store.warehouse(db_path) as con:
        assert _setting(con, "threads") == "3"
    # a read-only connection (the app's, an analyst's) is not a job's: DuckDB's own defaults
    import duckdb

    with duckdb.connect() as plain:
        defaults = (_setting(plain, "threads"), _setting(plain, "memory_limit"))
    with store.warehouse(db_path, read_only=True) as con:
        assert (_setting(con, "threads"), _setting(con, "memory_limit")) == defaults
        assert _setting(con, "temp_directory") != str(tmp_path / "spill")


def test_threads_zero_leaves_one_core_for_the_app(tmp_path: Path) -> None:
    limits = _settings(0, 200, tmp_path)
    assert limits.duckdb_threads() == max(1, (os.cpu_count() or 2) - 1)


def test_the_shipped_share_and_its_checks() -> None:
    jobs = load_settings().jobs
    assert (jobs.threads, jobs.memory_limit_megabytes, jobs.niceness) == (0, 1024, 10)
    with pytest.raises(ConfigError, match=r"\[jobs\] niceness must be between 0 and 19"):
        settings_from({"jobs": {"niceness": 20}})
    # the old place of the memory limit names the new one
    with pytest.raises(ConfigError, match=r"\[ingest\] memory_limit_megabytes has moved: set it in \[jobs\]"):
        settings_from({"ingest": {"memory_limit_megabytes": 700}})


def _niceness(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[16])   # field 19, after the command's name


@pytest.mark.slow
def test_a_job_process_lowers_its_own_priority(db_path: Path, realdata: Path, tmp_path: Path) -> None:
    # given a council's configuration asking jobs for niceness 7 (above this test's own)
    assert os.nice(0) < 7
    config = tmp_path / "council.toml"
    config.write_text("[jobs]\nniceness = 7\nthreads = 1\n", encoding="utf-8")
    env = {**os.environ, "MARKET_OVERSIGHT_CONFIG": str(config)}
    # when the ingest command runs as a program
    job = subprocess.Popen([sys.executable, "-m", "market_oversight", "ingest", "cqc",
                            str(realdata / CQC_SAMPLE), "--db", str(db_path), "--json"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[int] = set()
    while job.poll() is None:
        found = _niceness(job.pid)
        if found is not None:
            seen.add(found)
        time.sleep(0.01)
    out, err = job.communicate()
    # then its process ran at niceness 7, and the load went through
    assert job.returncode == 0, err
    assert '"status": "loaded"' in out
    assert 7 in seen, seen


def _receive(db: Path, name: str, data: bytes) -> Path:
    return uploads.receive_upload(db, OFFICER, name, data, uploads.UploadLimits.from_settings(load_settings()))


@pytest.mark.slow
def test_two_uploads_at_once_queue_and_both_load(db_path: Path, realdata: Path) -> None:
    # given two files uploaded one after the other
    data = (realdata / CQC_SAMPLE).read_bytes()
    first = upload_ingest.start_ingest(db_path, OFFICER, "cqc", _receive(db_path, "first.csv", data), "first.csv")
    second = upload_ingest.start_ingest(db_path, OFFICER, "cqc", _receive(db_path, "second.csv", data), "second.csv")
    # then each runs in a process of its own
    assert os.getpid() not in (first.pid, second.pid) and first.pid != second.pid
    seen: dict[str, set[str]] = {"first.csv": set(), "second.csv": set()}
    ended = {}
    deadline = time.monotonic() + 300
    while len(ended) < 2 and time.monotonic() < deadline:
        for job in (first, second):
            status = upload_ingest.job_status(db_path, job)
            seen[job.file_name].add(status.text.split("…")[0])
            if status.done:
                ended.setdefault(job.file_name, status)
        time.sleep(0.1)
    # and one waited for the other's load, saying whose, instead of failing
    waits = {name: {t for t in texts if t.startswith("Waiting")} for name, texts in seen.items()}
    for name, other in (("first.csv", "second.csv"), ("second.csv", "first.csv")):
        assert waits[name] <= {f"Waiting for the load of {other} to finish: the warehouse takes one load at a time"}, waits
    assert waits["first.csv"] or waits["second.csv"], seen
    # and both end with a result, none with "another load is running"
    assert {name: s.error for name, s in ended.items()} == {"first.csv": None, "second.csv": None}
    assert sorted(s.result.status for s in ended.values()) == ["already_loaded", "loaded"]  # stored once
