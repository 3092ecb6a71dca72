"""Benchmark: scoring every location as at one date against one full aggregate scan of the returns.

Target (issue 4): scoring takes at most 3 times the scan, both measured in the same run on the same
warehouse. By default the warehouse is a synthetic national-scale one built here in SQL (about
15,000 care homes and 10,000 home-care services in 150 areas, 36 months of returns with 10%
resubmitted); `--db PATH` measures an existing warehouse instead (for example the national demo).
Writes bench/results/risk_score.json.

    /work/main/.venv/bin/python -m bench.risk_score [--db PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from market_oversight import store
from market_oversight.paths import PROJECT_ROOT
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds

RESULTS = PROJECT_ROOT / "bench" / "results" / "risk_score.json"
SCAN = """
select location_id, count(*) as n, avg(occupied_beds / nullif(beds, 0)) as occupancy,
       sum(agency_hours) as agency, sum(leavers) as leavers, max(submitted_at) as latest
from main.care_home_returns group by location_id
union all
select location_id, count(*), avg(people_council), sum(agency_hours), sum(leavers), max(submitted_at)
from main.home_care_returns group by location_id
"""


def build_synthetic(con, care_homes: int = 15_000, home_care: int = 10_000, months: int = 36) -> None:
    """A national-scale warehouse in SQL (bench data only; the demo builds the real one)."""
    params = {"care_homes": care_homes, "home_care": home_care, "months": months}
    for statement in store.sql("risk/bench_synthetic").split(";\n"):  # our own file, one statement each
        if any(line.strip() and not line.strip().startswith("--") for line in statement.splitlines()):
            con.execute(statement, engine.bind(statement, params))


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing warehouse (default: build a synthetic one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "national.duckdb"
        with store.warehouse(db, publish=False) as con:
            if args.db is None:
                build_synthetic(con)
            thresholds = load_thresholds()
            as_of = engine.latest_data_date(con) if args.db else date(2026, 10, 15)
            rows = con.execute("select (select count(*) from care_home_returns) "
                               "+ (select count(*) from home_care_returns)").fetchone()[0]
            scan = timed(lambda: con.execute(SCAN).fetchall(), args.repeat)
            compute = timed(lambda: engine.compute(con, as_of, thresholds), args.repeat)
            first = timed(lambda: engine.score_at(con, as_of, thresholds), 1)  # a date never scored
            score = timed(lambda: engine.score_at(con, as_of, thresholds), args.repeat)  # re-scoring
            run = engine.score_at(con, as_of, thresholds)
    result = {
        "warehouse": str(args.db) if args.db else "synthetic national (15,000 care homes, 10,000 home care, 36 months)",
        "as_of": as_of.isoformat(), "returns_rows": rows, "locations_scored": run.locations,
        "flags": run.flags, "scan_seconds": round(scan, 4),
        "compute_seconds": round(compute, 4), "compute_ratio": round(compute / scan, 2),
        "score_and_store_new_date_seconds": round(first, 4), "rescore_seconds": round(score, 4),
        "ratio": round(first / scan, 2), "target_ratio": 3.0, "passed": first <= 3 * scan,
        "repeat": args.repeat,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
