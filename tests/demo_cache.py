"""The local demo warehouse for the whole test suite: built once, kept on disk, copied per user.

Building the demo (seed 1) takes most of a minute on two cores, and scoring it a few seconds a
date. Each recipe (the build, then a list of `score` commands) is built once into
var/test-cache/<key>/, where the key is a hash of the recipe and of everything that builds it (the
package's code and settings, sql/, data_contracts/, the DuckDB version). A later run with the same
code reuses it; a change to any of those files builds afresh. Parallel test workers take a file
lock, so one builds and the others wait.

Tests never open the cached files read-write: `copy_warehouse` gives each user a copy of its own
(the warehouse, its casework file, its serving copies and analysts' snapshots).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from market_oversight.paths import PROJECT_ROOT

CACHE = PROJECT_ROOT / "var" / "test-cache"
SEED = 1
# Everything whose change can change the demo or its scores.
_INPUTS = ("market_oversight", "sql", "data_contracts")
_SUFFIXES = {".py", ".sql", ".toml", ".yml", ".yaml", ".json"}
# The siblings of a warehouse file, named after its stem (see market_oversight.paths).
_SIBLINGS = (".casework.duckdb", ".serving", ".snapshots")


@functools.cache
def _code_hash() -> str:
    digest = hashlib.sha256(duckdb.__version__.encode())
    for top in _INPUTS:
        for path in sorted((PROJECT_ROOT / top).rglob("*")):
            if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(recipe: object) -> str:
    return hashlib.sha256((_code_hash() + json.dumps(recipe, sort_keys=True)).encode()).hexdigest()[:16]


def _siblings(db: Path) -> list[Path]:
    return [db.with_name(db.stem + suffix) for suffix in _SIBLINGS]


def copy_warehouse(src: Path, dst: Path) -> Path:
    """Copy warehouse `src` with its casework file, serving copies and snapshots to `dst`
    (whose file name may differ: the siblings are renamed after its stem)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    for a, b in zip(_siblings(src), _siblings(dst), strict=True):
        if a.is_dir():
            shutil.copytree(a, b, dirs_exist_ok=True)
        elif a.exists():
            shutil.copyfile(a, b)
    return dst


def _cached(recipe: dict, build) -> Path:
    """The folder of `recipe`'s result, built by `build(folder)` unless a finished one is cached."""
    key = _key(recipe)
    folder = CACHE / key
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / "recipe.json").write_text(json.dumps(recipe, indent=1))
            (folder / "done").touch()  # last, so an interrupted build is redone
            prune()
    return folder


def demo_with_files() -> tuple[Path, Path, dict]:
    """(warehouse, source files folder, build summary) of the local demo, seed 1, unscored.
    Read-only: copy the warehouse before writing to it."""
    recipe = {"demo": "local", "seed": SEED}

    def build(folder: Path) -> None:
        from market_oversight.config import settings_from
        from market_oversight.demo.build import build_demo

        summary = build_demo(folder / "demo.duckdb", settings_from(None), seed=SEED, files_dir=folder / "files")
        (folder / "summary.json").write_text(json.dumps(
            {"statuses": dict(summary.statuses),
             "locations": summary.locations}))

    folder = _cached(recipe, build)
    return folder / "demo.duckdb", folder / "files", json.loads((folder / "summary.json").read_text())


def scored_demo(scores: Sequence[Sequence[str]], *, saved_backtest: bool = False) -> Path:
    """The local demo after `market-oversight score ARGS` for each ARGS in `scores`, in order
    (an empty ARGS scores the latest date), then, if `saved_backtest`, `backtest --save` (as
    `make demo` leaves it). Read-only: copy it before writing to it."""
    recipe = {"demo": "local", "seed": SEED, "scores": [list(s) for s in scores]}
    if saved_backtest:
        recipe["backtest"] = ["--save"]

    def build(folder: Path) -> None:
        from market_oversight.cli import main

        db = copy_warehouse(demo_with_files()[0], folder / "demo.duckdb")
        for args in scores:
            if main(["score", "--db", str(db), *args]) != 0:
                raise RuntimeError(f"market-oversight score {' '.join(args)} failed on the test demo")
        if saved_backtest and main(["backtest", "--db", str(db), "--save"]) != 0:
            raise RuntimeError("market-oversight backtest --save failed on the test demo")

    return _cached(recipe, build) / "demo.duckdb"


# The one scored demo the suite's app, browser, alert, analyst and fault tests share: as `make demo`
# leaves it (scored at each month end from May to October 2026, its backtest saved), and scored
# three weeks before the latest too, so some services are "new this week" on the watchlist.
MONTH_ENDS = ("2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31")
EARLIER_SCORE = "2026-10-06"


def suite_demo() -> Path:
    """The suite's shared scored demo (see MONTH_ENDS). Read-only: copy it before writing to it."""
    return scored_demo([["--from", MONTH_ENDS[0], "--to", MONTH_ENDS[-1]], ["--as-of", EARLIER_SCORE]],
                       saved_backtest=True)


def prune(keep: int = 12) -> None:
    """Drop all but the newest `keep` cache entries (each about 100 MB)."""
    if not CACHE.is_dir():
        return
    entries = sorted((p for p in CACHE.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in entries[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
        (CACHE / f"{old.name}.lock").unlink(missing_ok=True)
