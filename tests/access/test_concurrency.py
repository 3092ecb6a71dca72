"""Concurrency: users' notes are never lost, in one process or while loads run in others."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from market_oversight import audit, casework, store
from market_oversight.roles import Role, User
from tests.demo_cache import copy_warehouse, suite_demo

MANAGER = User("cm@council.example", "CM", Role.CONTRACT_MANAGER)


def test_notes_saved_at_once_by_several_users_are_all_kept_in_one_chain(db_path: Path) -> None:
    """Threads of one process, as Streamlit's sessions are: overlapping saves take turns."""
    casework.add_note(db_path, MANAGER, "1-1", "first")
    errors: list[str] = []

    def save(n: int) -> None:
        for i in range(4):
            try:
                casework.add_note(db_path, MANAGER, "1-1", f"note {n}-{i}")
                casework.location_casework(db_path, "1-1")  # others read as they save
            except Exception as exc:  # any failure a user would see
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.casework(db_path) as con:
        assert con.execute("select count(*) from notes").fetchone()[0] == 13
    report = audit.verify_chain(db_path)
    assert report.intact and report.rows == 13


@pytest.mark.slow
def test_users_reading_and_writing_through_a_load_see_no_error_and_lose_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark at CI size: 2 users, 1 load (ingest then score, each its own process), on a
    copy of the suite's demo rather than one built for it. The load runs at the users' priority:
    niced, it would wait behind the other test worker while the users kept reading all along."""
    from bench.concurrency import run

    config = tmp_path / "council.toml"
    config.write_text("[jobs]\nniceness = 0\n", encoding="utf-8")
    monkeypatch.setenv("MARKET_OVERSIGHT_CONFIG", str(config))
    db = copy_warehouse(suite_demo(), tmp_path / "warehouse.duckdb")
    result = run(users=2, load_count=1, workdir=tmp_path, db=db)
    assert result["error_samples"] == [] and result["errors"] == 0
    assert result["lost_writes"] == 0
    assert result["inconsistent_pages"] == 0
    # The run really overlapped: notes were saved while the load held the warehouse, and the
    # users moved on to the copies the load published.
    assert result["notes_saved_during_loads"] > 0
    assert result["serving_copies_seen"] >= 2


def test_query_functions_leave_no_half_read_result_on_the_cursor(db_path: Path) -> None:
    """The app hands each query function one cursor; a function that reads a single row and then
    queries again must not trip over its own unfinished result (found by bench/concurrency.py)."""
    from market_oversight.queries import data_quality, filters

    with store.warehouse(db_path):
        pass
    with store.warehouse(store.current_serving_copy(db_path), read_only=True) as con:
        cursor = con.cursor()
        assert filters.mart_exists(cursor, "expected_returns")
        assert data_quality.returns_by_provider(cursor) is not None
        filters.data_as_of(cursor)
        filters.scored_on(cursor)
        assert data_quality.provider_returns(cursor, "p1") is not None


def test_a_job_gets_the_casework_file_while_users_keep_it_busy(tmp_path: Path) -> None:
    """Saves and casework reads open the casework file many times a second while people use the
    app; a job's attach (every read-write open of the warehouse mirrors the casework) must still
    get its turn within its wait, not fail with "in use" (it did at 20 users in bench/concurrency)."""
    import subprocess
    import sys

    from market_oversight.paths import PROJECT_ROOT

    db = copy_warehouse(suite_demo(), tmp_path / "warehouse.duckdb")
    stop, errors = threading.Event(), []

    def busy(n: int) -> None:  # profiles opened one after another: readers overlap, so the
        while not stop.is_set():  # process never lets go of the file of its own accord
            try:
                casework.location_casework(db, "1-1")
                if n == 0:
                    casework.add_note(db, MANAGER, "1-1", "busy")
            except Exception as exc:  # any failure a user would see
                errors.append(f"{type(exc).__name__}: {exc}")

    users = [threading.Thread(target=busy, args=(n,)) for n in range(6)]
    for t in users:
        t.start()
    try:
        job = subprocess.run(
            [sys.executable, "-c", "import os, sys; from pathlib import Path; from market_oversight import store\n"
             "os.nice(10)  # as a job runs\n"
             "for _ in range(3):\n    with store.warehouse(Path(sys.argv[1])): pass", str(db)],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    finally:
        stop.set()
        for t in users:
            t.join()
    assert job.returncode == 0, job.stderr[-1500:]
    assert errors == []
