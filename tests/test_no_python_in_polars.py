"""No Python function runs inside a polars expression in the product (`map_elements` and its kin):
polars runs those on its worker threads, which must take the GIL, while calls such as `to_pandas`
hold the GIL and wait for the same workers, and the app froze for every user when two pages were
drawn at once (bench/browser_load.py found it). Columns are put into words with fmt.texts instead."""

from __future__ import annotations

import re

from market_oversight.paths import PROJECT_ROOT

PYTHON_IN_POLARS = re.compile(r"\.(map_elements|map_batches|map_groups|map_rows|apply)\(")


def test_no_python_function_runs_inside_a_polars_expression() -> None:
    found = [f"{path.relative_to(PROJECT_ROOT)}:{n}: {line.strip()}"
             for path in sorted((PROJECT_ROOT / "market_oversight").rglob("*.py")) + [PROJECT_ROOT / "app.py"]
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if PYTHON_IN_POLARS.search(line) and not line.lstrip().startswith("#")]
    assert found == []
