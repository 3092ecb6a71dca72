"""Run every benchmark in bench/ (`make bench`), one after another, each in its own process.

A benchmark is a module `bench/<name>.py` with a `__main__` block; it writes its own
`bench/results/<name>.json` when it has one. For a benchmark that only prints, its output is kept in
`bench/results/<name>.json` here. `bench/results/run.json` lists every benchmark run, its exit status
and how long it took. Benchmarks build their own warehouses (the national ones take minutes).

    /work/main/.venv/bin/python -m bench.run [--only risk_score app_render] [--list]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone

from market_oversight.paths import PROJECT_ROOT

BENCH = PROJECT_ROOT / "bench"
RESULTS = BENCH / "results"


def write_result(name: str, argv: list[str] | None, load_start: float, body: dict[str, object]) -> dict[str, object]:
    """A benchmark's own result: its figures with when and how it ran, written to
    bench/results/<name>.json and printed."""
    report = {
        "benchmark": name,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": f".venv/bin/python -m bench.{name}" + (" " + " ".join(argv or sys.argv[1:])).rstrip(),
        "load_average_start_end": [round(load_start, 1), round(os.getloadavg()[0], 1)],
        **body,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, default=str)
    (RESULTS / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    return report


def benchmarks() -> list[str]:
    """The benchmark modules: every bench/*.py with a __main__ block, except this runner."""
    return sorted(p.stem for p in BENCH.glob("*.py")
                  if p.stem != "run" and not p.stem.startswith("_")
                  and "__main__" in p.read_text(encoding="utf-8"))


def run_one(name: str) -> dict[str, object]:
    own_result = RESULTS / f"{name}.json"
    before = own_result.stat().st_mtime if own_result.exists() else None
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=False)
    seconds = round(time.perf_counter() - start, 1)
    wrote_own = own_result.exists() and own_result.stat().st_mtime != before
    if done.returncode == 0 and not wrote_own:  # a benchmark that only prints: keep what it printed
        own_result.write_text(json.dumps({"benchmark": name, "output": done.stdout.strip()}, indent=2) + "\n",
                              encoding="utf-8")
    return {"benchmark": name, "exit_status": done.returncode, "seconds": seconds,
            "result": str(own_result.relative_to(PROJECT_ROOT)) if done.returncode == 0 else None,
            "error": done.stderr.strip().splitlines()[-1] if done.returncode and done.stderr.strip() else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)
    names = benchmarks()
    if args.list:
        print("\n".join(names))
        return 0
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(names)}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs = []
    for name in args.only or names:
        print(f"{name} …", flush=True)
        runs.append(run_one(name))
        print(f"  exit {runs[-1]['exit_status']} in {runs[-1]['seconds']} s", flush=True)
    (RESULTS / "run.json").write_text(json.dumps(
        {"finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "runs": runs},
        indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["exit_status"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
