"""One demo warehouse for the analyst tests (scored at the latest date), and copies of it per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_cache import copy_warehouse, suite_demo


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local demo (Kingsmere), scored: read it, or copy it with `warehouse_copy`."""
    return copy_warehouse(suite_demo(), tmp_path_factory.mktemp("analyst-demo") / "demo.duckdb")


@pytest.fixture
def warehouse_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse and its casework file, for tests that write."""
    return copy_warehouse(demo_db, tmp_path / "warehouse.duckdb")
