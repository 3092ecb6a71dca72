"""Faults: a load killed with SIGKILL at random moments, a full disk, an unwritable folder.

Each runs the real command in its own process, as cron would, against real files."""

from __future__ import annotations

import os
import random
import shutil
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
from tests.access.conftest import cli, content_hashes, copy_warehouse, load, run_cli

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
    # The reference load was timed once; on a machine busier then than now a load can finish
    # before the kill, so a kill that came too late brings the next ones earlier.
    latest = loads["seconds"] * 0.9
    for i in range(KILLS):
        db = copy_warehouse(loads["base"], tmp_path / f"trial{i}")
        proc = cli("ingest", "cqc", str(loads["source"]), "--db", str(db), "--json")
        delay = rng.uniform(0.2, max(0.3, latest))
        time.sleep(delay)
        finished = proc.poll() is not None
        if finished:
            latest = delay / 2
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


# --- what a killed job leaves behind ----------------------------------------------------------------

@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A private copy of the local demo warehouse (scored once), with its serving copy and snapshot."""
    from tests.demo_cache import copy_warehouse as copy_demo, suite_demo

    db = copy_demo(suite_demo(), tmp_path / "demo" / "warehouse.duckdb")
    rc, _, err = run_cli("snapshot", "--db", str(db), timeout=300)
    assert rc == 0, err
    return db


def _orphans(db: Path) -> list[str]:
    from market_oversight.paths import snapshots_dir

    return sorted(p.name for folder in (serving_dir(db), snapshots_dir(db)) for p in folder.glob(".*.tmp*"))


def test_copies_half_written_by_a_killed_job_are_removed_by_the_next_one(demo: Path) -> None:
    from market_oversight.paths import snapshots_dir

    # given the half-written copies a publish and a snapshot killed part-way leave, as the old code
    # named them and as another process names them
    left = [serving_dir(demo) / ".20261201T020000-000000001.duckdb.tmp", serving_dir(demo) / ".CURRENT.tmp",
            serving_dir(demo) / ".20261201T020000-000000002.duckdb.999999.tmp",
            snapshots_dir(demo) / ".market-20261201T020000Z.duckdb.tmp",
            snapshots_dir(demo) / ".market-20261201T020000Z.duckdb.tmp.wal",
            snapshots_dir(demo) / ".latest.duckdb.999999.tmp"]
    for path in left:
        path.write_bytes(os.urandom(1 << 20))
    whole = sorted(p.name for p in (*serving_dir(demo).iterdir(), *snapshots_dir(demo).iterdir())
                   if p not in left)
    # when the next job opens the warehouse to write (here `snapshot`, which opens it, then publishes)
    rc, _, err = run_cli("snapshot", "--db", str(demo), timeout=300)
    assert rc == 0, err
    # then they are gone, and every whole copy is still there
    assert _orphans(demo) == []
    assert set(whole) <= {p.name for p in (*serving_dir(demo).iterdir(), *snapshots_dir(demo).iterdir())}
    _serving_copy_is_sound(demo)


def test_a_snapshot_killed_while_copying_leaves_nothing_after_the_next_job(demo: Path) -> None:
    from market_oversight.paths import snapshots_dir

    # given a snapshot killed with SIGKILL while its copy is half-written (tried until a kill lands)
    caught = []
    for _ in range(20):
        proc = cli("snapshot", "--db", str(demo))
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and not caught:
            caught = list(snapshots_dir(demo).glob(".*.tmp"))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        if caught and any(p.exists() for p in caught):
            break
        caught = []
    if not caught:
        pytest.skip("no kill landed while the copy was being written")
    # when the next job publishes
    rc, _, err = run_cli("snapshot", "--db", str(demo), timeout=300)
    assert rc == 0, err
    # then no half-written copy is left
    assert _orphans(demo) == []


def _scores(db: Path) -> dict:
    hashes = content_hashes(db)
    return {t: hashes[t] for t in ("main.risk_scores", "main.risk_flags")}


def test_score_from_to_killed_part_way_stores_nothing_and_a_rerun_stores_every_date(demo: Path) -> None:
    import threading
    from datetime import date

    from market_oversight.risk import engine

    before = _scores(demo)
    # given `score --from --to` over 8 months, killed after its second date is scored (or, if it
    # does not say it is scoring them, after 6 s)
    proc = cli("score", "--db", str(demo), "--from", "2025-12-31", "--to", "2026-07-31", "--no-snapshot")
    started, second = threading.Event(), threading.Event()
    lines: list[str] = []

    def read() -> None:
        for line in proc.stderr:
            lines.append(line)
            if line.startswith("scoring 8 dates"):
                started.set()
            if "(2 of 8)" in line:
                second.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if started.wait(timeout=6):
        assert second.wait(timeout=300), lines
    assert proc.poll() is None, f"finished before it could be killed: {lines}"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(timeout=10)
    # then no date of the run is stored: the scores are as they were
    assert _scores(demo) == before, f"a killed run stored some dates; it said {lines}"
    # and a rerun stores all 8
    rc, _, err = run_cli("score", "--db", str(demo), "--from", "2025-12-31", "--to", "2026-07-31",
                         "--no-snapshot", timeout=900)
    assert rc == 0, err
    assert "scoring 8 dates; they are stored together once the last is scored" in err
    with store.warehouse(demo, read_only=True) as con:
        dates = [d for (d,) in con.execute(
            "select distinct as_of from risk_scores where as_of between '2025-12-31' and '2026-07-31' "
            "order by 1").fetchall()]
    assert [d.isoformat() for d in dates] == [d.isoformat() for d in engine.month_steps(
        date(2025, 12, 31), date(2026, 7, 31))] and len(dates) == 8


def test_a_score_run_failing_part_way_stores_nothing(demo: Path) -> None:
    from datetime import date

    from market_oversight.risk import engine
    from market_oversight.risk.thresholds import load_thresholds

    before = _scores(demo)

    def stop_at_the_third(done: int, of: int, as_of: date) -> None:
        if done == 3:
            raise KeyboardInterrupt  # as Ctrl-C would, after two dates were scored and held

    with pytest.raises(KeyboardInterrupt):
        engine.score(demo, load_thresholds(), engine.month_steps(date(2026, 1, 31), date(2026, 6, 30)),
                     progress=stop_at_the_third)
    assert _scores(demo) == before


# --- a full disk at every step ------------------------------------------------------------------------

def _fill(disk: Path) -> None:
    """Leave no room on the tmpfs at `disk`."""
    with (disk / "filler").open("wb") as f:
        try:
            while True:
                f.write(b"\0" * (1 << 20))
                f.flush()
        except OSError:
            pass


def test_a_big_job_spilling_onto_a_full_disk_gives_the_storage_message(tmp_path: Path) -> None:
    from market_oversight.errors import StorageError

    # given a warehouse on a 20 MB disk, and a job whose sort must spill beyond it (DuckDB keeps its
    # temporary files beside the warehouse)
    with _tmpfs(tmp_path / "disk", "size=20m") as disk:
        db = disk / "warehouse.duckdb"
        # when it runs
        with pytest.raises(StorageError) as caught:
            with store.warehouse(db, publish=False) as con:
                con.execute("set memory_limit = '64MB'")
                con.execute("set threads = 1")
                con.execute("create table spilled as select i, md5(i::varchar) || md5((i + 1)::varchar) as s "
                            "from range(3000000) r(i) order by s")
        # then it says the disk is full, not that memory ran out, and what became of the work
        message = str(caught.value)
        assert "no space left on device for temporary files" in message and "rolled back" in message
        assert "Out of Memory" not in message and "\n" not in message
        # and the temporary files are gone once the connection is closed
        assert sum(p.stat().st_size for p in disk.rglob("*") if p.is_file()) < db.stat().st_size + (1 << 20)


def test_every_step_writing_to_a_full_disk_says_so_in_one_line(demo: Path, tmp_path: Path) -> None:
    from market_oversight.paths import snapshots_dir
    from tests.alerts.conftest import write_config

    config = write_config(tmp_path / "council.toml", 25)  # a dry run never connects
    with _tmpfs(tmp_path / "full", "size=4m") as disk:
        # given the serving and snapshot folders, and every output file, on a disk with no room left
        for folder in (serving_dir(demo), snapshots_dir(demo)):
            shutil.rmtree(folder)
            (disk / folder.name).mkdir()
            folder.symlink_to(disk / folder.name)
        _fill(disk)
        steps = {
            "quarantine export": (["quarantine", "export", "--provider", "P-1", "--out", str(disk / "q.csv")],
                                  "no export was written"),
            "alerts dry run": (["alerts", "--week", "2026-W44", "--dry-run", "--outbox", str(disk / "outbox"),
                                "--config", str(config)], "nothing was sent"),
            "snapshot": (["snapshot"], "no space left on device"),
            "score": (["score", "--as-of", "2026-10-31", "--no-snapshot"], "the app shows the previous copy"),
        }
        for step, (args, words) in steps.items():
            # when the step runs, then it fails with one line saying what became of the work
            rc, _, err = run_cli(*args, "--db", str(demo), timeout=300)
            assert rc == 2 and "Traceback" not in err, f"{step}: {err}"
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("market-oversight: error: cannot "), f"{step}: {err}"
            assert words in lines[0] and "no space left on device" in lines[0], f"{step}: {err}"
        # and no half-written file is left on the disk
        assert sorted(p.name for p in disk.rglob("*") if p.is_file()) == ["filler"]
