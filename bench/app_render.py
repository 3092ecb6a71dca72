"""Benchmark: the watchlist, a provider profile (by ID and by name), the provider's company page, a
brand's page and the search on every page rendered through AppTest, national against local.

Target (issue 5): on the national demo each takes at most 1.5 times as long as on the local demo,
both measured in the same run. Each render is cold for queries: the query cache (st.cache_data) is
cleared before it, so what is measured is the queries plus Streamlit drawing the page, not a cache
hit. The read-only connection to the serving copy is kept between renders, as the running app keeps
it (st.cache_resource) until a newer copy is published; it is opened in the warm-up round, which is
not counted. The profile is the highest-risk location's; the company page and the search are its
provider's (the search is typed on the accessibility statement, the page with no queries of its own,
so that the rerun it causes measures the search). Warehouses: `--local` and `--national` name
existing scored demo warehouses; without them the demo and score commands build them in a temporary
folder (the national one takes minutes). The demo's CQC records carry no brand, so a warehouse built
here has the highest-risk location's provider, and one location of another, given the brand BD999999
(as the tests do); a warehouse named by --local or --national is not written to, and its brand page is
measured on its largest brand, or not at all when it has none. Writes bench/results/app_render.json.

    /work/main/.venv/bin/python -m bench.app_render [--local PATH] [--national PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.testing.v1 import AppTest

from market_oversight import cli, store
from market_oversight.paths import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results" / "app_render.json"
APP = str(PROJECT_ROOT / "app.py")
TARGET_RATIO = 1.5


def build(folder: Path, scale: str) -> Path:
    db = folder / f"{scale}.duckdb"
    if cli.main(["demo", "--db", str(db), "--scale", scale]) or cli.main(["score", "--db", str(db)]):
        raise SystemExit(f"could not build the {scale} demo")
    return db


BENCH_BRAND = "BD999999"


def give_brand(db: Path) -> None:
    """Put the highest-risk location's provider, and one location of another, in a brand (a
    warehouse this benchmark built: the demo's records carry none)."""
    provider_id = top_location(db)[2]
    with store.warehouse(db) as con:  # publishes a new serving copy on leaving
        other = con.execute("select location_id from cqc_locations where provider_id <> $p order by location_id "
                            "limit 1", {"p": provider_id}).fetchall()[0][0]
        con.execute("update cqc_locations set brand_id = $b, brand_name = 'Bench Care Group' "
                    "where provider_id = $p or location_id = $l", {"b": BENCH_BRAND, "p": provider_id, "l": other})


def largest_brand(db: Path) -> str | None:
    with duckdb.connect(str(store.current_serving_copy(db)), read_only=True) as con:
        found = con.execute("select brand_id from mart.register where brand_id is not null group by brand_id "
                            "order by count(*) desc, brand_id limit 1").fetchall()
    return found[0][0] if found else None


def top_location(db: Path) -> tuple[str, str, str, str]:
    """(location ID, its name, its provider's ID, the provider's name) of the highest-risk location."""
    with duckdb.connect(str(store.current_serving_copy(db)), read_only=True) as con:
        return con.execute("select c.location_id, l.location_name, l.provider_id, l.provider_name "
                           "from mart.risk_current c join mart.register l using (location_id) "
                           "order by c.likelihood * c.impact desc, c.location_id limit 1").fetchall()[0]


def render(page: str, query: dict[str, str], typed: str | None = None) -> float:
    """Seconds to draw the page; with `typed`, to draw it again after that is typed into the search
    on every page (in the menu), the query cache cleared between."""
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"market_oversight/pages/{page}")
    start = time.perf_counter()
    at.run()
    if typed is not None:
        st.cache_data.clear()
        start = time.perf_counter()
        at.text_input(key="find-anything").input(typed).run()
    elapsed = time.perf_counter() - start
    if at.exception or at.error:
        raise SystemExit(f"{page} failed: {[e.value for e in (*at.exception, *at.error)]}")
    return elapsed


def measure(warehouses: dict[str, Path], repeat: int) -> dict[str, dict[str, float]]:
    """Median cold render per warehouse and page; the warehouses take turns in every round, so a
    drift in the machine's speed falls on both alike."""
    pages = {}
    for name, db in warehouses.items():
        location_id, location_name, provider_id, provider_name = top_location(db)
        pages[name] = {"watchlist": ("watchlist.py", {}, None),
                       "profile": ("profile.py", {"location": location_id}, None),
                       "profile_by_name": ("profile.py", {"location": location_name}, None),
                       "provider": ("provider.py", {"provider": provider_id}, None),
                       # a few letters of a name, as typed before the suggestions narrow
                       "search": ("accessibility.py", {}, provider_name[:5])}
        brand_id = largest_brand(db)
        if brand_id:
            pages[name]["brand"] = ("brand.py", {"brand": brand_id}, None)
    if set(pages.get("local", {})) != set(pages.get("national", {})):  # one of them has no brand
        for by_page in pages.values():
            by_page.pop("brand", None)
    runs: dict[str, dict[str, list[float]]] = {name: {page: [] for page in pages[name]} for name in warehouses}
    for round_ in range(repeat + 1):
        for name, db in warehouses.items():
            os.environ["MARKET_OVERSIGHT_DB"] = str(db)
            for page, (script, query, typed) in pages[name].items():
                elapsed = render(script, query, typed)
                if round_:  # the first round warms the interpreter (imports), not the caches
                    runs[name][page].append(elapsed)
    return {name: {page: statistics.median(times) for page, times in by_page.items()}
            for name, by_page in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local", type=Path, help="a scored local demo warehouse")
    parser.add_argument("--national", type=Path, help="a scored national demo warehouse")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["MARKET_OVERSIGHT_DEMO"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        local = args.local or build(Path(tmp), "local")
        national = args.national or build(Path(tmp), "national")
        for given, built in ((args.local, local), (args.national, national)):
            if given is None:
                give_brand(built)
        with duckdb.connect(str(store.current_serving_copy(national)), read_only=True) as con:
            national_size = con.execute("select count(*) from mart.risk_current").fetchall()[0][0]
        with duckdb.connect(str(store.current_serving_copy(local)), read_only=True) as con:
            local_size = con.execute("select count(*) from mart.risk_current").fetchall()[0][0]
        times = measure({"local": local, "national": national}, args.repeat)
        local_times, national_times = times["local"], times["national"]
    ratios = {page: round(national_times[page] / local_times[page], 2) for page in local_times}
    result = {
        "what": "AppTest render with the query cache cleared before each (connection kept), median of repeats",
        "local_locations_scored": local_size,
        "national_locations_scored": national_size,
        "local_seconds": {k: round(v, 3) for k, v in local_times.items()},
        "national_seconds": {k: round(v, 3) for k, v in national_times.items()},
        "ratio": ratios,
        "target_ratio": TARGET_RATIO,
        "passed": all(r <= TARGET_RATIO for r in ratios.values()),
        "repeat": args.repeat,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
