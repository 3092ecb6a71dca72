"""Where the project's own files live. Resolved from this file, never from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
CONTRACTS_DIR = PROJECT_ROOT / "data_contracts"
DEFAULT_DB = PROJECT_ROOT / "var" / "warehouse.duckdb"
DB_ENV = "MARKET_OVERSIGHT_DB"


def resolve_db(path: str | os.PathLike[str] | None) -> Path:
    """The warehouse path: the argument, else $MARKET_OVERSIGHT_DB, else var/warehouse.duckdb."""
    if path:
        return Path(path).expanduser().resolve()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_DB


def casework_path(db: Path) -> Path:
    """Casework (notes, actions, suspensions, overrides) lives beside the warehouse in its own file,
    so that the app can write a note while a long load holds the warehouse (see docs/design.md)."""
    return db.with_name(db.stem + ".casework.duckdb")


def serving_dir(db: Path) -> Path:
    """Published read-only copies of the warehouse, which the app reads (never the live file)."""
    return db.with_name(db.stem + ".serving")


def uploads_dir(db: Path) -> Path:
    """Files accepted from the app's upload page, kept as received beside the warehouse."""
    return db.with_name(db.stem + ".uploads")
