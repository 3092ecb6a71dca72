"""Shared by the fault tests: warehouses built once, table content hashes, the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from market_oversight.paths import PROJECT_ROOT, casework_path

# Columns a repeated load fills differently (fresh batch ids, clock times); the content is the rest.
VOLATILE = {"batch_id", "superseded_by_batch", "started_at", "finished_at", "superseded_at",
            "loaded_at", "scored_at", "applied_at"}
BASE_SOURCE = "cqc_api_json_oldham_2025-03"
LOAD_SOURCE = "cqc_asc_locations_with_subratings_2025-08_head.csv"


def content_hashes(db: Path, *, volatile: bool = False) -> dict[str, tuple[int, str]]:
    """(rows, md5 of the sorted rows) of every base table. Opened read-write, with DuckDB alone,
    so that a write-ahead log left by a killed process is replayed as the next job would."""
    out = {}
    with duckdb.connect(str(db)) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2").fetchall()
        for schema, table in tables:
            cols = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = $s "
                "and table_name = $t order by ordinal_position", {"s": schema, "t": table}).fetchall()
                if volatile or c not in VOLATILE]
            select = ", ".join(f'"{c}"' for c in cols)  # identifiers from the catalogue
            out[f"{schema}.{table}"] = con.execute(
                f'select count(*), md5(coalesce(string_agg(r, chr(10) order by r), \'\')) from '
                f'(select (t)::varchar as r from (select {select} from "{schema}"."{table}") t)'
            ).fetchone()
    return out


def copy_warehouse(src: Path, dst_dir: Path) -> Path:
    dst_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst_dir / src.name)
    shutil.copyfile(casework_path(src), casework_path(dst_dir / src.name))
    return dst_dir / src.name


def cli(*args: str, **kwargs) -> subprocess.Popen:
    """`market-oversight …` as cron runs it: its own process, this checkout's code."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.Popen([sys.executable, "-m", "market_oversight", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def run_cli(*args: str, timeout: float = 120, **kwargs) -> tuple[int, str, str]:
    proc = cli(*args, **kwargs)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def load(db: Path, source: Path, **kwargs) -> tuple[int, dict | None, str]:
    rc, out, err = run_cli("ingest", "cqc", str(source), "--db", str(db), "--json", **kwargs)
    return rc, (json.loads(out) if rc == 0 and out.strip() else None), err


@pytest.fixture(scope="session")
def loads(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A base warehouse (the Oldham API sample), its content, and the content after the ASC file is
    loaded on top (run once, timed, as the reference every interrupted load must equal or undo)."""
    import time

    from market_oversight.ingest.cqc import ingest_cqc

    base = tmp_path_factory.mktemp("base") / "warehouse.duckdb"
    ingest_cqc(base, str(realdata / BASE_SOURCE))
    ref = copy_warehouse(base, tmp_path_factory.mktemp("reference"))
    started = time.monotonic()
    rc, result, err = load(ref, realdata / LOAD_SOURCE)
    seconds = time.monotonic() - started
    assert rc == 0 and result["status"] == "loaded", err
    return {"base": base, "before": content_hashes(base), "after": content_hashes(ref),
            "seconds": seconds, "source": realdata / LOAD_SOURCE}
