"""The analysts' snapshot: a separate read-only copy that analysts cannot change and loads never wait for."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from market_oversight import store
from market_oversight.analyst import snapshot
from market_oversight.cli import main
from market_oversight.config import settings_from
from market_oversight.errors import ConfigError, SnapshotError
from market_oversight.paths import PROJECT_ROOT

CLI = [sys.executable, "-m", "market_oversight"]
ENV = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}


def count(path: Path, query: str) -> int:
    with store.warehouse(path, read_only=True) as con:
        return con.execute(query).fetchone()[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_snapshot_is_a_separate_read_only_copy(warehouse_copy: Path) -> None:
    # when a snapshot is published
    path = snapshot.publish_snapshot(warehouse_copy, keep=3)
    latest = snapshot.latest_snapshot(warehouse_copy)
    # then it is a dated file, read-only for everyone, and latest.duckdb is that same file
    assert path.parent == warehouse_copy.with_name("warehouse.snapshots")
    # (a second snapshot in the same second, the fixture's own, takes a -<n> suffix)
    assert re.fullmatch(r"market-\d{8}T\d{6}Z(-\d+)?\.duckdb", path.name)
    assert path.stat().st_mode & 0o777 == 0o444
    assert os.path.samefile(path, latest)
    assert not os.path.samefile(path, warehouse_copy)
    # and it holds the warehouse's marts and says when it was taken and from where
    with snapshot.open_snapshot(latest) as con:
        taken = con.execute("select warehouse, schema_version from meta.snapshot").fetchall()
        assert taken == [(str(warehouse_copy), max(v for v, _, _ in store.migrations()))]
        copied = con.execute("select count(*) from mart.locations").fetchone()[0]
        scored = con.execute("select count(*) from mart.risk_current").fetchone()[0]
    assert copied == count(warehouse_copy, "select count(*) from mart.locations") > 200
    assert scored > 0


def test_a_read_only_connection_refuses_every_write(warehouse_copy: Path) -> None:
    path = snapshot.publish_snapshot(warehouse_copy, keep=3)
    before = sha256(path)
    with snapshot.open_snapshot(path) as con:
        for statement in ("create table main.mine (a integer)",
                          "delete from main.cqc_locations",
                          "update main.cqc_locations set beds = 0",
                          "create or replace view mart.locations as select 1 as a",
                          "drop view mart.ratings"):
            with pytest.raises(duckdb.Error, match="read-only"):
                con.execute(statement)
        # an analyst's own scratch work goes in temporary tables, which live in memory
        con.execute("create temp table mine as select location_id from mart.locations limit 3")
        assert con.execute("select count(*) from mine").fetchone() == (3,)
    assert sha256(path) == before


def _without_root_file_override() -> None:
    """In the child, before exec: drop the capabilities that let root ignore file modes, so the
    child is checked like any analyst's account (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


ANALYST_SCRIPT = """
import json, sys, duckdb
path = sys.argv[1]
out = {}
try:
    duckdb.connect(path).execute("delete from main.cqc_locations")
    out["read_write"] = "opened"
except duckdb.Error as exc:
    out["read_write"] = str(exc)
con = duckdb.connect(path, read_only=True)
out["locations"] = con.execute("select count(*) from mart.locations").fetchone()[0]
print(json.dumps(out))
"""


def test_an_analyst_account_cannot_open_the_copy_for_writing(warehouse_copy: Path) -> None:
    # given a published snapshot
    path = snapshot.publish_snapshot(warehouse_copy, keep=3)
    before = sha256(path)
    # when an analyst's process, to which file modes apply (root is stripped of its override),
    # tries to open it read-write and delete rows
    as_analyst = {"preexec_fn": _without_root_file_override} if os.geteuid() == 0 else {}
    done = subprocess.run([sys.executable, "-c", ANALYST_SCRIPT, str(path)], capture_output=True,
                          text=True, timeout=60, **as_analyst)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # then the file system refuses the read-write open, and a read-only open works
    assert "Permission denied" in result["read_write"]
    assert result["locations"] == count(warehouse_copy, "select count(*) from mart.locations")
    assert sha256(path) == before


def test_changes_to_a_copy_never_reach_the_warehouse(warehouse_copy: Path) -> None:
    # given a snapshot that root forces open for writing (file modes do not stop root)
    path = snapshot.publish_snapshot(warehouse_copy, keep=3)
    locations = count(warehouse_copy, "select count(*) from main.cqc_locations")
    path.chmod(0o644)
    forced = duckdb.connect(str(path))
    forced.execute("delete from main.cqc_locations")
    forced.execute("drop view mart.locations")
    forced.close()
    # then the warehouse is untouched: the copy is a separate file
    assert count(path, "select count(*) from main.cqc_locations") == 0
    assert count(warehouse_copy, "select count(*) from main.cqc_locations") == locations
    assert count(warehouse_copy, "select count(*) from mart.locations") == locations


def test_latest_moves_and_old_copies_go_while_an_open_one_stays_readable(warehouse_copy: Path) -> None:
    first = snapshot.publish_snapshot(warehouse_copy, keep=2)
    held = snapshot.open_snapshot(snapshot.latest_snapshot(warehouse_copy))
    expected = held.execute("select count(*) from mart.locations").fetchone()[0]
    later = [snapshot.publish_snapshot(warehouse_copy, keep=2) for _ in range(3)]
    folder = snapshot.snapshots_dir(warehouse_copy)
    assert snapshot.dated_snapshots(folder) == later[-2:]
    assert not first.exists()
    assert os.path.samefile(folder / snapshot.LATEST, later[-1])
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    # the analyst who opened the first copy keeps reading it after it was deleted
    assert held.execute("select count(*) from mart.locations").fetchone()[0] == expected
    held.close()


NOTEBOOK_SCRIPT = """
import sys
from market_oversight.analyst import open_snapshot
con = open_snapshot(sys.argv[1])
def rows():
    return con.execute("select count(*) from mart.risk_history").fetchone()[0]
print(rows(), flush=True)
sys.stdin.readline()   # hold the copy open until the load has run
print(rows(), flush=True)
"""


def _analyst_holding(path: Path) -> tuple[subprocess.Popen[str], int]:
    """Start an analyst's process holding `path` open; returns it and the count it first read."""
    proc = subprocess.Popen([sys.executable, "-c", NOTEBOOK_SCRIPT, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first, proc.stderr.read() if proc.stderr else "analyst process ended"
    return proc, int(first)


def _finish(proc: subprocess.Popen[str]) -> int:
    out, err = proc.communicate("\n", timeout=60)
    assert proc.returncode == 0, err
    return int(out.strip())


@pytest.mark.slow
def test_a_load_runs_while_an_analyst_holds_the_copy_open(warehouse_copy: Path) -> None:
    # given an analyst's session (its own process, as a notebook is) holding latest.duckdb open
    snapshot.publish_snapshot(warehouse_copy, keep=3)
    latest = snapshot.latest_snapshot(warehouse_copy)
    analyst, first = _analyst_holding(latest)
    try:
        assert first > 0
        # when the nightly jobs run: a score of a new date, then a new snapshot
        score = subprocess.run(CLI + ["score", "--db", str(warehouse_copy), "--as-of", "2026-09-15"],
                               capture_output=True, text=True, timeout=120, env=ENV)
        assert score.returncode == 0, score.stderr
        publish = subprocess.run(CLI + ["snapshot", "--db", str(warehouse_copy)],
                                 capture_output=True, text=True, timeout=120, env=ENV)
        assert publish.returncode == 0, publish.stderr
    finally:
        still_reading = _finish(analyst)
    # then both jobs ran, the analyst still saw the copy they opened, and the new copy has the new scores
    assert still_reading == first
    assert count(latest, "select count(*) from mart.risk_history") > still_reading


def test_without_the_copy_an_analyst_would_block_the_load(warehouse_copy: Path) -> None:
    # the reason for the snapshot: a reader holding the warehouse itself stops a load
    analyst, _ = _analyst_holding(warehouse_copy)
    try:
        score = subprocess.run(CLI + ["score", "--db", str(warehouse_copy)],
                               capture_output=True, text=True, timeout=120, env=ENV)
    finally:
        _finish(analyst)
    assert score.returncode == 2
    assert "in use by another process" in score.stderr


def test_scratch_copy_is_writable_and_keeps_the_casework(warehouse_copy: Path, tmp_path: Path) -> None:
    path = snapshot.publish_snapshot(warehouse_copy, keep=3)
    before = sha256(path)
    suspensions = count(path, "select count(*) from casework_mirror.placement_suspensions")
    scratch = snapshot.scratch_copy(path, tmp_path / "scratch")
    # a read-write open refreshes the mirror from the rebuilt casework file: nothing is lost
    with store.warehouse(scratch, publish=False) as con:
        assert con.execute("select count(*) from casework_mirror.placement_suspensions").fetchone()[0] == suspensions
        con.execute("delete from main.cqc_locations")
    assert suspensions > 0
    assert sha256(path) == before


def test_snapshot_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   warehouse_copy: Path) -> None:
    assert main(["snapshot", "--db", str(tmp_path / "absent.duckdb")]) == 2
    assert "no warehouse at" in capsys.readouterr().err
    assert not (tmp_path / "absent.duckdb").exists()
    with pytest.raises(SnapshotError, match="run `market-oversight snapshot"):
        snapshot.latest_snapshot(tmp_path / "absent.duckdb")
    with pytest.raises(SnapshotError, match="at least 1"):
        snapshot.publish_snapshot(warehouse_copy, keep=0)
    with pytest.raises(ConfigError, match=r"\[analyst\] snapshot_keep must be a whole number"):
        settings_from({"analyst": {"snapshot_keep": "seven"}})


def test_snapshot_command_uses_the_configured_keep(warehouse_copy: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "council.toml"
    config.write_text("[analyst]\nsnapshot_keep = 1\n", encoding="utf-8")
    for _ in range(2):
        assert main(["snapshot", "--db", str(warehouse_copy), "--config", str(config)]) == 0
    assert "latest:" in capsys.readouterr().out
    assert len(snapshot.dated_snapshots(snapshot.snapshots_dir(warehouse_copy))) == 1


def test_notebooks_find_the_snapshot_from_the_environment(warehouse_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = snapshot.publish_snapshot(warehouse_copy, keep=3)
    monkeypatch.setenv(snapshot.SNAPSHOT_ENV, str(path))
    assert snapshot.snapshot_path() == path
    monkeypatch.delenv(snapshot.SNAPSHOT_ENV)
    monkeypatch.setenv("MARKET_OVERSIGHT_DB", str(warehouse_copy))
    assert snapshot.snapshot_path() == snapshot.snapshots_dir(warehouse_copy) / snapshot.LATEST


@pytest.mark.slow
def test_a_snapshot_while_the_warehouse_is_held_fails_clearly_and_publishes_nothing(
        warehouse_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot.publish_snapshot(warehouse_copy, keep=3)
    before = snapshot.dated_snapshots(snapshot.snapshots_dir(warehouse_copy))
    holder, _ = _analyst_holding(warehouse_copy)  # another process holds the warehouse
    try:
        assert main(["snapshot", "--db", str(warehouse_copy)]) == 2
    finally:
        _finish(holder)
    assert "in use by another process" in capsys.readouterr().err
    folder = snapshot.snapshots_dir(warehouse_copy)
    assert snapshot.dated_snapshots(folder) == before
    assert os.path.samefile(folder / snapshot.LATEST, before[-1])


def test_a_name_pruned_in_the_same_second_is_never_reused(tmp_path: Path) -> None:
    # given two snapshots taken in one second, the first already pruned
    stamp = "20261128T035449Z"
    (tmp_path / f"market-{stamp}-1.duckdb").touch()
    # when a third is taken in that second, it sorts after the kept one
    name = snapshot._unused_name(tmp_path, stamp)
    assert name.name == f"market-{stamp}-2.duckdb"
    name.touch()
    assert snapshot.dated_snapshots(tmp_path)[-1] == name
