"""`market-oversight ingest cqc` as a user runs it: a real subprocess, --json output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from market_oversight.paths import PROJECT_ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "market_oversight", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_json_reports_the_batch_then_already_loaded(db_path: Path, realdata: Path):
    # given the saved Oldham folder
    folder = str(realdata / "cqc_api_json_oldham_2025-03")
    # when imported twice through the command line with --json
    first = run("ingest", "cqc", folder, "--db", str(db_path), "--json")
    second = run("ingest", "cqc", folder, "--db", str(db_path), "--json")
    # then each prints one JSON object with the batch result and exits 0
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert {"dataset", "batch_id", "status", "rows_read", "rows_loaded", "rows_quarantined"} <= set(out)
    assert (out["dataset"], out["status"], out["rows_read"], out["rows_loaded"], out["rows_quarantined"]) \
        == ("cqc_register", "loaded", 451, 451, 0)
    again = json.loads(second.stdout)
    assert (again["status"], again["batch_id"]) == ("already_loaded", out["batch_id"])


def test_cli_unrecognised_source_exits_2_saying_what_it_expected(db_path: Path, tmp_path: Path):
    # given a CSV that is not a CQC file
    source = tmp_path / "fees.csv"
    source.write_text("Local authority,Fee\nWirral,812.50\n", encoding="utf-8")
    # when imported
    result = run("ingest", "cqc", str(source), "--db", str(db_path), "--json")
    # then it exits 2 with a one-line message naming the file and the expected column
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(source) in result.stderr and "Location ID" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db_path.exists()
