"""The wheel carries everything the jobs need: built, installed in a fresh venv outside the checkout,
and run from a folder that is not the checkout, `demo`, `score` and `backtest` work.

Offline: the wheel is built with the project's own setuptools (--no-build-isolation), and the fresh
venv sees the project venv's site-packages for the dependencies (a .pth file naming it; the .pth
files inside it, among them the editable install's, are not processed), so nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from market_oversight.paths import PROJECT_ROOT

# What the build reads: pyproject.toml maps sql/ and data_contracts/ into the package.
BUILD_INPUTS = ("pyproject.toml", "README.md", "market_oversight", "sql", "data_contracts")


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh venv with the wheel built from this tree installed in it."""
    root = tmp_path_factory.mktemp("wheel")
    # Build from a copy, so no build/ folder is left in the checkout (nor a stale one read from it).
    source = root / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (PROJECT_ROOT / name).is_dir():
            shutil.copytree(PROJECT_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(PROJECT_ROOT / name, source / name)
    _ok(_run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
              "-w", root / "dist", source], cwd=root))
    wheel, = (root / "dist").glob("market_oversight-*.whl")

    venv = root / "venv"
    _ok(_run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", venv], cwd=root))
    python = venv / "bin" / "python"
    site = _ok(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=root))
    (Path(site.strip()) / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n",
                                                                 encoding="utf-8")
    _ok(_run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel],
             cwd=root))
    return venv / "bin"


@pytest.fixture()
def elsewhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working folder outside the checkout, and an environment that does not point into it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "MARKET_OVERSIGHT_DB", "MARKET_OVERSIGHT_CONFIG")}
    return tmp_path, env


def test_pyproject_lists_every_package() -> None:
    # find cannot see the mapped sql/ and data_contracts/, so the packages are written out: a new
    # subpackage left off the list would be missing from the wheel
    setuptools = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(PROJECT_ROOT).parts)
               for p in (PROJECT_ROOT / "market_oversight").rglob("*.py") if "__pycache__" not in p.parts}
    assert set(setuptools["packages"]) == on_disk | set(setuptools["package-dir"])
    assert setuptools["package-dir"] == {"market_oversight.sql": "sql",
                                         "market_oversight.data_contracts": "data_contracts"}


@pytest.mark.slow
def test_wheel_ships_the_sql_and_contracts_and_runs_the_jobs(installed: Path,
                                                             elsewhere: tuple[Path, dict[str, str]]) -> None:
    cwd, env = elsewhere
    cli = installed / "market-oversight"
    # given the package as the wheel installed it, not the checkout
    where = _ok(_run([installed / "python", "-c",
                      "import market_oversight.paths as p; print(p.__file__); print(p.sql_dir()); "
                      "print(p.source_checkout())"], cwd=cwd, env=env)).split()
    assert all(Path(w).is_relative_to(installed.parent) for w in where[:2]), where
    assert where[2] == "None"
    # when the demo is built, scored and backtested there
    db = cwd / "warehouse" / "demo.duckdb"
    _ok(_run([cli, "demo", "--scale", "tiny", "--db", db], cwd=cwd, env=env))  # seconds, not a minute
    scored = _ok(_run([cli, "score", "--db", db], cwd=cwd, env=env))
    backtest = _ok(_run([cli, "backtest", "--db", db, "--events", "demo_truth", "--from", "2026-01-15"],
                        cwd=cwd, env=env))
    # then each succeeds and the warehouse is where it was asked to be, and nowhere else
    assert "locations scored" in scored and "ROC AUC" in backtest
    assert db.is_file() and db.with_name("demo.casework.duckdb").is_file()
    assert sorted(p.name for p in cwd.iterdir()) == ["warehouse"]


@pytest.mark.slow
def test_installed_wheel_asks_for_a_warehouse_path(installed: Path, elsewhere: tuple[Path, dict[str, str]]) -> None:
    # given no --db and no $MARKET_OVERSIGHT_DB, the checkout's var/warehouse.duckdb is no default
    cwd, env = elsewhere
    done = _run([installed / "market-oversight", "score"], cwd=cwd, env=env)
    assert done.returncode == 2
    assert "no warehouse given: pass --db PATH or set MARKET_OVERSIGHT_DB" in done.stderr
    assert list(cwd.iterdir()) == []
