"""One demo warehouse for the analyst tests (built once per session), and copies of it per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from market_oversight.paths import casework_path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local demo (Kingsmere), scored, built once: read it, or copy it with `warehouse_copy`."""
    from market_oversight.cli import main

    db = tmp_path_factory.mktemp("analyst-demo") / "demo.duckdb"
    assert main(["demo", "--db", str(db)]) == 0
    assert main(["score", "--db", str(db)]) == 0
    return db


@pytest.fixture
def warehouse_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse and its casework file, for tests that write."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_db, db)
    shutil.copyfile(casework_path(demo_db), casework_path(db))
    return db
