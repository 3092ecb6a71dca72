"""`market-oversight report NOTEBOOK`: run an analyst's notebook headless on a snapshot and write its
outputs as one self-contained HTML page (report_html), which opens without a network.

marimo's own `export html` loads its scripts from the internet, so a council's locked-down machine
shows a blank page; this runs the notebook as a script (`app.run()`, one output per cell, in order)
and draws the outputs itself. marimo is needed to run a notebook (it is in the test extras).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from market_oversight.analyst.report_html import Stack, render_page
from market_oversight.analyst.snapshot import SNAPSHOT_ENV, snapshot_path
from market_oversight.errors import MarketOversightError, ReportError
from market_oversight.paths import PROJECT_ROOT

NOTEBOOKS = PROJECT_ROOT / "notebooks"


def notebook_path(notebook: str) -> Path:
    """A notebook by file path, or by name in notebooks/ (`market_overview`)."""
    given = Path(notebook).expanduser()
    if given.is_file():
        return given.resolve()
    named = NOTEBOOKS / f"{notebook.removesuffix('.py')}.py"
    if named.is_file():
        return named
    known = ", ".join(sorted(p.stem for p in NOTEBOOKS.glob("*.py"))) or "none"
    raise ReportError(f"no notebook {notebook!r}: give a file or one of {known}")


@contextlib.contextmanager
def _stacks_kept() -> Iterator[None]:
    """`mo.vstack`/`mo.hstack` turn their items into plain HTML, losing the tables and charts; while
    a report runs they return a `Stack` of the originals, which the renderer walks."""
    import marimo

    saved = marimo.vstack, marimo.hstack
    marimo.vstack = lambda items, *a, **k: Stack(list(items))
    marimo.hstack = lambda items, *a, **k: Stack(list(items), horizontal=True)
    try:
        yield
    finally:
        marimo.vstack, marimo.hstack = saved


@contextlib.contextmanager
def _snapshot_env(path: Path) -> Iterator[None]:
    """The notebooks find their snapshot in $MARKET_OVERSIGHT_SNAPSHOT: set it for the run only."""
    saved = os.environ.get(SNAPSHOT_ENV)
    os.environ[SNAPSHOT_ENV] = str(path)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(SNAPSHOT_ENV, None)
        else:
            os.environ[SNAPSHOT_ENV] = saved


def run_notebook(path: Path, snapshot: Path) -> tuple[str, list[Any]]:
    """(title, outputs) of the notebook at `path` run as a script on `snapshot`: one output per cell."""
    spec = importlib.util.spec_from_file_location(f"report_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ReportError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    with _snapshot_env(snapshot), _stacks_kept():
        try:
            spec.loader.exec_module(module)
            outputs, _defs = module.app.run()
        except MarketOversightError:
            raise
        except Exception as exc:  # a notebook cell failed: say which notebook, nothing is written
            raise ReportError(f"{path.name} failed while running: {type(exc).__name__}: {exc}") from exc
    title = getattr(getattr(module.app, "_config", None), "app_title", None) or path.stem
    return title, list(outputs)


def write_report(notebook: str, output: Path, snapshot: str | None = None) -> Path:
    """Run `notebook` on the snapshot (`snapshot`, else the default one) and write its report."""
    snap = snapshot_path(snapshot)
    path = notebook_path(notebook)
    title, outputs = run_notebook(path, snap)
    footer = (f"{title}. Rendered from {path.name} on the snapshot {snap.name} at "
              f"{datetime.now(UTC):%d %B %Y %H:%M} UTC by market-oversight report.")
    page = render_page(title, outputs, footer)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    return output
