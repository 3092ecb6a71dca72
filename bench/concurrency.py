"""Benchmark: the app's users read pages and write notes while loads run, as they would at night.

Loads run as cron runs them: `market-oversight ingest cqc FILE` then `market-oversight score`, each
its own process holding the warehouse read-write. Users are threads of this one process, as
Streamlit's users are sessions of one server process: each page view pins the newest published
serving copy and reads the live casework, as `pages.common.run` does on every run, and calls the
page's query functions through the app's own query cache (`pages.common.cached_query`, which every
page's `common.load` calls), and the casework functions the page calls; a note is saved with
`casework.add_note`, the function the casework page calls. Reported: errors (must be 0),
lost writes (notes whose save returned but which are not in the casework file afterwards; must be
0), pages that saw two states (must be 0), and the slowest page. Writes
bench/results/concurrency.json (or --out).

    /work/main/.venv/bin/python -m bench.concurrency [--users 20] [--loads 4]
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import itertools
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from market_oversight import casework, store
from market_oversight.pages import common
from market_oversight.paths import PROJECT_ROOT
from market_oversight.queries import contingency, data_quality, filters, overview, profile, watchlist
from market_oversight.queries import serving as read_side
from market_oversight.queries.filters import MarketFilter
from market_oversight.risk.thresholds import Thresholds, load_thresholds
from market_oversight.roles import Role, User

RESULTS = PROJECT_ROOT / "bench" / "results" / "concurrency.json"
SOURCE = PROJECT_ROOT.parent / "shared" / "realdata" / "cqc_asc_locations_with_subratings_2025-08_head.csv"
NOTE_EVERY = 3            # a user saves a note on every third page view
THINK_SECONDS = 0.05      # a pause between page views


# ---- the app's reading side --------------------------------------------------------------------

class ServingConnections:
    """One read-only connection per serving copy, for the bench's own check that a page saw one state."""

    def __init__(self, db: Path) -> None:
        self.db, self._lock, self._open = db, threading.Lock(), {}

    def pinned(self) -> tuple[str, duckdb.DuckDBPyConnection]:
        """The newest copy, chosen once for a whole page view (as `common.run` pins it per run)."""
        path = str(read_side.newest_copy(self.db))
        with self._lock:
            if path not in self._open:
                self._open[path] = store.connect(Path(path), read_only=True)
            return path, self._open[path]

    def close(self) -> None:
        for con in self._open.values():
            con.close()


def _overview(q: Callable, db: Path, loc: str) -> None:
    market = MarketFilter()
    cqc_as_of = q(filters.data_as_of)
    q(filters.choices)
    as_of = max((d for d in (cqc_as_of, q(filters.scored_on)) if d is not None), default=None)
    if as_of is not None:
        q(overview.headline, market, as_of)
        q(overview.home_care_headline, market, as_of)
        q(overview.ratings_mix, market, as_of)
        q(overview.fees, market, as_of)
    q(overview.map_points, market)
    q(overview.capacity, market)


def _watchlist(q: Callable, db: Path, loc: str) -> None:
    q(filters.choices)
    q(watchlist.watchlist, MarketFilter(), rags=(), search=None)
    q(filters.scored_on)
    q(filters.data_as_of)


@functools.cache
def _thresholds() -> Thresholds:
    """Read once, as the app's pages read them once (pages.common.thresholds is cached)."""
    return load_thresholds()


def _profile(q: Callable, db: Path, loc: str) -> None:
    place = q(profile.location, loc)
    q(profile.flags, loc)
    q(profile.ratings, loc)
    q(profile.risk_history, loc)
    if place:
        q(profile.returns, loc, place["service_kind"])
        q(profile.late_or_missing, loc)
        fee_rule = _thresholds().indicator("fee_below_benchmark").params  # as the page reads them
        q(profile.fees, loc, place["provider_id"], care_home_benchmark=fee_rule["care_home_benchmark"],
          home_care_benchmark=fee_rule["home_care_benchmark"])
        q(profile.siblings, loc, place["provider_id"])
        q(contingency.register, (place["provider_id"],))
    casework.location_casework(db, loc)


def _data_quality(q: Callable, db: Path, loc: str) -> None:
    batches = q(data_quality.batches)
    q(data_quality.quarantine, batch_id=batches["batch_id"][0] if len(batches) else None)
    q(data_quality.returns_by_provider)
    q(data_quality.latest_score_date)


def _casework(q: Callable, db: Path, loc: str) -> None:
    record = casework.market_casework(db)
    q(filters.location_names, tuple(sorted(set(record.notes["location_id"].to_list()))))


PAGES: dict[str, Callable] = {"overview": _overview, "watchlist": _watchlist, "profile": _profile,
                              "data_quality": _data_quality, "casework": _casework}
STATE = "select count(*), max(snapshot_date), (select count(*) from ingest_batches) from cqc_locations"


# ---- users and loads ---------------------------------------------------------------------------

@dataclass
class Tally:
    page_seconds: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, bool] = field(default_factory=dict)        # body -> saved during a load
    errors: list[str] = field(default_factory=list)
    inconsistent_pages: int = 0
    copies_seen: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def user(n: int, db: Path, serving: ServingConnections, locations: list[str], tally: Tally,
         stop: threading.Event, loading: threading.Event) -> None:
    rng = random.Random(n)
    who = User(f"user{n}@council.example", f"User {n}", Role.CONTRACT_MANAGER)
    views = 0
    while not stop.is_set():
        page = rng.choice(list(PAGES))
        loc = rng.choice(locations)
        try:
            started = time.perf_counter()
            path, con = serving.pinned()
            live = read_side.live_casework(db)  # as `common.run` reads it on every run

            def q(function: Callable, *args, path=path, live=live, **kwargs):  # as `common.load`
                return common.cached_query(path, live, function, *args, **kwargs)

            before = con.cursor().execute(STATE).fetchall()
            PAGES[page](q, db, loc)
            after = con.cursor().execute(STATE).fetchall()
            seconds = time.perf_counter() - started
            with tally.lock:
                tally.page_seconds.setdefault(page, []).append(seconds)
                tally.copies_seen.add(path)
                tally.inconsistent_pages += before != after
            views += 1
            if views % NOTE_EVERY == 0:
                body = f"bench note {n}-{views}-{rng.random():.12f}"
                during = loading.is_set()
                casework.add_note(db, who, loc, body)
                with tally.lock:
                    tally.notes[body] = during
        except Exception as exc:  # every failure a user would see counts
            with tally.lock:
                tally.errors.append(f"user {n} {page}: {type(exc).__name__}: {exc}")
                if len(tally.errors) <= 3:
                    traceback.print_exc()
        time.sleep(THINK_SECONDS)


def _variant(source: Path, k: int, folder: Path) -> Path:
    """The source with one location renamed, so each load is new content and a full load."""
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig"), newline="")))
    name_col = next(i for i, h in enumerate(rows[0]) if h.strip().lower() == "location name")
    rows[1 + k % (len(rows) - 1)][name_col] += f" (load {k})"
    out = folder / f"load_{k}.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return out


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run([sys.executable, "-m", "market_oversight", *args], env=env,
                          capture_output=True, text=True, timeout=900)


def loads(db: Path, count: int | None, folder: Path, tally: Tally, loading: threading.Event,
          seconds: list[float], until: threading.Event | None = None) -> None:
    """`count` loads one after another, or (count None) loads until `until` is set."""
    for k in itertools.count():
        if (count is not None and k >= count) or (until is not None and until.is_set()):
            break
        file = _variant(SOURCE, k, folder)
        loading.set()
        started = time.perf_counter()
        for args in (("ingest", "cqc", str(file), "--db", str(db), "--json"), ("score", "--db", str(db))):
            done = _cli(*args)
            if done.returncode != 0:
                with tally.lock:
                    tally.errors.append(f"load {k} `{args[0]}` exited {done.returncode}: "
                                        f"{done.stderr.strip()[-500:]}")
        seconds.append(time.perf_counter() - started)
        loading.clear()
        time.sleep(0.5)  # a gap between cron jobs, during which users carry on


# ---- the run -----------------------------------------------------------------------------------

def run(users: int, load_count: int, workdir: Path, *, settle_seconds: float = 1.0,
        db: Path | None = None) -> dict:
    """The run on warehouse `db` (a demo warehouse the run may change), else on a local demo
    built into `workdir` first."""
    if db is None:
        db = workdir / "warehouse.duckdb"
        built = _cli("demo", "--db", str(db))
        if built.returncode != 0:
            raise SystemExit(f"demo build failed: {built.stderr}")
    with store.warehouse(read_side.newest_copy(db), read_only=True) as con:
        locations = [r[0] for r in con.execute(
            "select location_id from cqc_locations order by location_id").fetchall()]
    serving = ServingConnections(db)
    tally, stop, loading, load_seconds = Tally(), threading.Event(), threading.Event(), []
    threads = [threading.Thread(target=user, args=(n, db, serving, locations, tally, stop, loading))
               for n in range(users)]
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    for t in threads:
        t.start()
    loader = threading.Thread(target=loads, args=(db, load_count, workdir, tally, loading, load_seconds))
    loader.start()
    loader.join()
    time.sleep(settle_seconds)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    serving.close()

    with store.casework(db) as con:
        stored = {body for (body,) in con.execute("select body from notes where body like 'bench note %'")
                  .fetchall()}
    lost = [body for body in tally.notes if body not in stored]
    every = [(s, page) for page, times in tally.page_seconds.items() for s in times]
    slowest = max(every, default=(0.0, None))
    return {
        "users": users, "loads": load_count,
        "load_commands": "market-oversight ingest cqc FILE; market-oversight score (each its own process)",
        "seconds": round(elapsed, 1),
        "load_seconds": [round(s, 2) for s in load_seconds],
        "page_views": len(every),
        "notes_saved": len(tally.notes),
        "notes_saved_during_loads": sum(tally.notes.values()),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "lost_writes": len(lost),
        "inconsistent_pages": tally.inconsistent_pages,
        "serving_copies_seen": len(tally.copies_seen),
        "slowest_page_seconds": round(slowest[0], 3),
        "slowest_page": slowest[1],
        "p95_page_seconds": round(statistics.quantiles([s for s, _ in every], n=20)[-1], 3)
        if len(every) >= 20 else None,
        "median_page_seconds": round(statistics.median([s for s, _ in every]), 3) if every else None,
        "slowest_by_page": {p: round(max(t), 3) for p, t in sorted(tally.page_seconds.items())},
        "cpus": os.cpu_count(),
        # Other work on the machine slows every page; the load average says how busy it was.
        "load_average_start_end": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20, issue 22's figure)")
    parser.add_argument("--loads", type=int, default=4, help="ingest + score loads in a row (default 4)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"result file (default {RESULTS})")
    args = parser.parse_args(argv)
    # the app's query cache outside a running app says so on every first call: not news here
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="concurrency-") as tmp:
        result = run(args.users, args.loads, Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if result["errors"] == 0 and result["lost_writes"] == 0 and not result["inconsistent_pages"] else 1


if __name__ == "__main__":
    sys.exit(main())
