"""`market-oversight sql`: the analysts' SQL prompt on the snapshot, driven as an analyst would."""

from __future__ import annotations

import hashlib
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from market_oversight.analyst import snapshot
from market_oversight.paths import PROJECT_ROOT

CLI = [sys.executable, "-m", "market_oversight", "sql"]


@pytest.fixture(scope="module")
def published(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.demo_cache import copy_warehouse

    db = copy_warehouse(demo_db, tmp_path_factory.mktemp("sql") / "warehouse.duckdb")
    snapshot.publish_snapshot(db, keep=1)
    return snapshot.latest_snapshot(db)


def cells(line: str) -> list[str]:
    """The cells of one row of a table as the prompt draws it."""
    return [cell.strip() for cell in line.strip("│").split("│")]


def env(home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "HOME": str(home), **extra}


def test_piped_statements_print_rows_and_a_write_is_refused(published: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    script = ("select service_kind, count(*) as n\n"
              "  from mart.locations where service_kind = 'care_home' group by all;\n"
              "create table mart.mine (a integer);\n"
              "delete from meta.snapshot;\n"
              "create temp table scratch as select 41 + 1 as answer;\n"
              "select answer from scratch;\n")
    done = subprocess.run(CLI + ["--snapshot", str(published)], input=script, capture_output=True,
                          text=True, env=env(tmp_path), timeout=120)
    # the query's rows come out as a table, with the count the snapshot holds
    from market_oversight import store
    with store.warehouse(published, read_only=True) as con:
        homes = con.execute("select count(*) from mart.locations where service_kind = 'care_home'").fetchone()[0]
    assert [str(homes)] == [cells(line)[1] for line in done.stdout.splitlines() if "care_home" in line]
    # both writes are refused with a message, the session goes on, scratch tables work
    assert done.stdout.count("refused: the analysts' snapshot is read-only") == 2
    assert ["answer", "int32", "42"] == [cells(line)[0] for line in done.stdout.splitlines()
                                         if line.startswith("│")][-3:]
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before


@pytest.mark.slow
def test_one_command_exits_zero_and_dot_commands_list_the_documented_views(published: Path, tmp_path: Path) -> None:
    done = subprocess.run(CLI + ["--snapshot", str(published), "-c",
                                  "select count(*) as n from mart.risk_current; select 7 as seven;"],
                          capture_output=True, text=True, env=env(tmp_path), timeout=120)
    assert done.returncode == 0, done.stderr
    with_rows = [cells(line) for line in done.stdout.splitlines() if line.startswith("│")]
    # each statement of the line prints its own table
    assert with_rows[0] == ["n"] and int(with_rows[2][0]) > 100 and with_rows[3:] == [["seven"], ["int32"], ["7"]]
    from market_oversight.analyst.dictionary import read_specs
    marts = subprocess.run(CLI + ["--snapshot", str(published)], input=".mart\n.describe mart.risk_current\n",
                           capture_output=True, text=True, env=env(tmp_path), timeout=120)
    for name, spec in read_specs().items():
        assert f"mart.{name} " in marts.stdout
    for column, meaning in read_specs()["risk_current"].columns.items():
        assert column in marts.stdout and meaning in marts.stdout
    missing = subprocess.run(CLI + ["--snapshot", str(tmp_path / "none.duckdb"), "-c", "select 1;"],
                             capture_output=True, text=True, env=env(tmp_path), timeout=120)
    assert missing.returncode != 0 and "no analysts' snapshot at" in missing.stderr
    assert "Traceback" not in missing.stderr


def read_until(fd: int, text: bytes, seen: bytearray, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while text not in seen:
        assert time.monotonic() < end, f"no {text!r} in {bytes(seen)!r}"
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            seen += os.read(fd, 4096)


def test_at_a_terminal_it_prompts_and_keeps_a_history(published: Path, tmp_path: Path) -> None:
    main, child = pty.openpty()
    proc = subprocess.Popen(CLI + ["--snapshot", str(published)], stdin=child, stdout=child, stderr=child,
                            env=env(tmp_path, TERM="dumb"), close_fds=True)
    os.close(child)
    seen = bytearray()
    try:
        read_until(main, b"market> ", seen)
        assert b"read-only" in seen
        os.write(main, b"select 'first'\n")
        read_until(main, b"   ...> ", seen)
        os.write(main, b"  as word;\n")
        read_until(main, b"first", seen)
        os.write(main, b".quit\n")
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        os.close(main)
    history = (tmp_path / ".market_oversight_sql_history").read_text()
    assert "select 'first'" in history and "as word;" in history
