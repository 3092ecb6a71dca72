"""Where the project's own files live. Resolved from the package, never from the working directory.

The SQL files and the data contracts sit at the top of the repository (`sql/`, `data_contracts/`)
and travel in the wheel as the data packages `market_oversight.sql` and
`market_oversight.data_contracts` (pyproject.toml maps one to the other); they are read through
`importlib.resources`, so an installed wheel and an editable checkout read them the same way.
"""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from market_oversight.errors import ConfigError

# The source checkout the package sits in. Only tests, bench/ and the checkout-only defaults below
# use it: in an installed wheel it is site-packages (see `source_checkout`).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DB_ENV = "MARKET_OVERSIGHT_DB"


def sql_dir() -> Traversable:
    """The SQL files (`sql/` of the repository)."""
    return files("market_oversight.sql")


def contracts_dir() -> Traversable:
    """The data contracts (`data_contracts/` of the repository)."""
    return files("market_oversight.data_contracts")


def files_named(folder: Traversable, suffix: str) -> list[Traversable]:
    """The files of a resource folder that end in `suffix`, sorted by name."""
    return sorted((p for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix)),
                  key=lambda p: p.name)


def source_checkout() -> Path | None:
    """The repository the package runs from (an editable install), or None for an installed wheel."""
    return PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else None


def resolve_db(path: str | os.PathLike[str] | None) -> Path:
    """The warehouse path: the argument, else $MARKET_OVERSIGHT_DB, else var/warehouse.duckdb in
    the checkout. An installed wheel has no checkout, so there the path must be given."""
    if path:
        return Path(path).expanduser().resolve()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser().resolve()
    checkout = source_checkout()
    if checkout is None:
        raise ConfigError(f"no warehouse given: pass --db PATH or set {DB_ENV} "
                          "(the default var/warehouse.duckdb exists only in a source checkout)")
    return checkout / "var" / "warehouse.duckdb"


def casework_path(db: Path) -> Path:
    """Casework (notes, actions, suspensions, overrides) lives beside the warehouse in its own file,
    so that the app can write a note while a long load holds the warehouse (see docs/design.md)."""
    return db.with_name(db.stem + ".casework.duckdb")


def serving_dir(db: Path) -> Path:
    """Published read-only copies of the warehouse, which the app reads (never the live file)."""
    return db.with_name(db.stem + ".serving")


def snapshots_dir(db: Path) -> Path:
    """The analysts' dated read-only snapshots of warehouse `db` (see analyst.snapshot)."""
    return db.with_name(db.stem + ".snapshots")


def uploads_dir(db: Path) -> Path:
    """Files accepted from the app's upload page, kept as received beside the warehouse."""
    return db.with_name(db.stem + ".uploads")
