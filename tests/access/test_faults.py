"""Faults: a load killed with SIGKILL at random moments, a full disk, an unwritable folder.

Each runs the real command in its own process, as cron would, against real files."""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from market_oversight import store
from market_oversight.paths import serving_dir
from tests.access.conftest import cli, content_hashes, copy_warehouse, load

pytestmark = pytest.mark.slow
KILLS = int(os.environ.get("MARKET_OVERSIGHT_KILLS", "3"))


def _serving_copy_is_sound(db: Path) -> None:
    """Whatever happened, CURRENT names a whole copy the app can open."""
    current = store.current_serving_copy(db)
    if current != db:
        with store.warehouse(current, read_only=True) as con:
            con.execute("select count(*) from cqc_locations").fetchone()


def test_a_load_killed_at_random_moments_leaves_the_warehouse_whole(loads: dict, tmp_path: Path) -> None:
    seed = int(os.environ.get("MARKET_OVERSIGHT_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    outcomes = []
    for i in range(KILLS):
        db = copy_warehouse(loads["base"], tmp_path / f"trial{i}")
        proc = cli("ingest", "cqc", str(loads["source"]), "--db", str(db), "--json")
        delay = rng.uniform(0.2, loads["seconds"] * 0.9)
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        state = content_hashes(db)
        # All or nothing: as before the load, or as a complete load.
        assert state in (loads["before"], loads["after"]), f"seed {seed}, killed at {delay:.2f} s"
        outcomes.append("finished" if finished else "undone" if state == loads["before"] else "committed")
        _serving_copy_is_sound(db)
        rc, result, err = load(db, loads["source"])
        assert rc == 0 and result["status"] in ("loaded", "already_loaded"), err
        assert content_hashes(db) == loads["after"]
        _serving_copy_is_sound(db)
    assert "undone" in outcomes, f"seed {seed}: no kill landed inside the load ({outcomes})"


@contextmanager
def _tmpfs(where: Path, options: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the RLIMIT_FSIZE variant runs")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _assert_clean_failure(rc: int, err: str, words: str) -> None:
    assert rc == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("market-oversight: error: cannot "), err
    assert words in lines[0]


def test_a_full_disk_fails_cleanly_and_the_next_load_succeeds(loads: dict, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "size=64m") as disk:
        db = copy_warehouse(loads["base"], disk)
        used = sum(p.stat().st_size for p in disk.rglob("*") if p.is_file())
        subprocess.run(["mount", "-o", f"remount,size={used + 256 * 1024}", str(disk)], check=True)
        rc, _, err = load(db, loads["source"])
        _assert_clean_failure(rc, err, "no space left on device")
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        assert content_hashes(db) in (loads["before"], loads["after"])
        assert not list(serving_dir(db).glob(".*.tmp"))  # no half-written copy left filling the disk
        rc, result, err = load(db, loads["source"])
        assert rc == 0 and result["status"] in ("loaded", "already_loaded"), err
        assert content_hashes(db) == loads["after"]
        _serving_copy_is_sound(db)


def test_a_file_size_limit_fails_cleanly(loads: dict, tmp_path: Path) -> None:
    """The same failure without mount privileges: the kernel refuses to grow the file (EFBIG)."""
    db = copy_warehouse(loads["base"], tmp_path / "limited")
    limit = db.stat().st_size + 64 * 1024

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    rc, _, err = load(db, loads["source"], preexec_fn=limit_file_size)
    _assert_clean_failure(rc, err, "file too large")
    # The write-ahead log is a file of its own, so the load may commit and the checkpoint or the
    # serving copy fail; either way nothing is half-done, and the next run finishes the job.
    assert content_hashes(db) in (loads["before"], loads["after"])
    rc, result, err = load(db, loads["source"])
    assert rc == 0 and result["status"] in ("loaded", "already_loaded"), err
    assert content_hashes(db) == loads["after"]
    _serving_copy_is_sound(db)


def test_an_unwritable_folder_fails_cleanly(loads: dict, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "readonly", "ro,size=1m") as folder:
        rc, _, err = load(folder / "new" / "warehouse.duckdb", loads["source"])
        _assert_clean_failure(rc, err, "read-only file system")
