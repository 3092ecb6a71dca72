"""Shared fixtures: real DuckDB files in a temporary folder, and the real CQC samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from market_oversight.paths import PROJECT_ROOT

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.fail(f"real CQC samples not found at {REALDATA} (expected beside the project root)")
    return REALDATA
