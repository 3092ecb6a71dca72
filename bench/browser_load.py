"""Benchmark: people in real browsers move between pages and open new tabs while loads run (issue 22).

`streamlit run app.py` serves a scored local demo on 127.0.0.1 (demo mode); Debian's chromium, driven
by Playwright, holds `--sessions` browser sessions (default 4), each its own browser context. For
`--seconds` (default 180), while loads run one after another the whole time (`market-oversight
ingest cqc FILE` then `score`, each its own process, as cron runs them; the loads of
bench/concurrency.py), each session repeats, with a pause of 0.5-1.5 s between actions:

- a **navigation**: a click on a page in the sidebar (Streamlit moves between pages on the open
  connection), timed from the click until the new page's heading is drawn and Streamlit has finished
  running it (no running indicator, nothing greyed out as stale);
- every third action, a **fresh tab**: a new tab on a deep link (a location's profile, the
  watchlist or the overview), as a contract manager opens a profile from a table's link, timed from
  asking for the address until the page's heading is drawn and its script has finished.

A warm-up round (each session opens the app once; the app's query cache fills) is not counted.
Reported: every navigation and fresh tab time (median, p95, slowest, each page), errors (timeouts
and pages showing an error or a traceback), the server's log checked for tracebacks, and the
machine's load average. Targets (issue 22): p95 navigation at most 1.5 s, fresh tab to content at
most 2.5 s, 0 errors. Writes bench/results/browser_load.json (or --out).

    /work/main/.venv/bin/python -m bench.browser_load [--sessions 4] [--seconds 180]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from playwright.async_api import Page, async_playwright

from bench import concurrency
from bench.run import write_result
from market_oversight import store
from market_oversight.paths import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1366, "height": 768}
TARGET_NAVIGATION_P95 = 1.5
TARGET_FRESH_TAB = 2.5
TIMEOUT_MS = 60_000
# Sidebar entries a contract manager moves between, by their label in the navigation.
NAVIGATION = ["Market overview", "Watchlist", "Casework", "Returns to chase", "Data quality",
              "Flag reliability", "Weekly e-mail preview"]
FRESH_TAB_EVERY = 3

# The page's script has finished: a heading drawn, no running indicator, nothing stale or loading.
_FINISHED = """() => !!document.querySelector('h1')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""
_ERROR_SHOWN = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` in demo mode on warehouse `db`; returns the process and its URL once
    it answers its health check."""
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), MARKET_OVERSIGHT_DEMO="1", MARKET_OVERSIGHT_DB=str(db))
    env.pop("MARKET_OVERSIGHT_CONFIG", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit(f"streamlit did not start:\n{log.read_text()[-3000:]}")


async def _finished(page: Page, heading: str | None = None) -> None:
    if heading is not None:  # the new page's own heading, so the old page's is not taken for it
        await page.get_by_role("heading", name=heading, level=1).first.wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_function(_FINISHED, timeout=TIMEOUT_MS)


async def _shows_error(page: Page) -> str | None:
    shown = page.locator(_ERROR_SHOWN)
    return (await shown.first.inner_text())[:200] if await shown.count() else None


class Timings:
    def __init__(self) -> None:
        self.navigation: dict[str, list[float]] = {}
        self.fresh_tab: dict[str, list[float]] = {}
        self.errors: list[str] = []


async def _opened(browser, url: str) -> tuple:
    context = await browser.new_context(viewport=VIEWPORT, base_url=url)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    await page.goto("/")
    await _finished(page)
    return context, page


async def session(n: int, opened: tuple, deep_links: dict[str, str], headings: dict[str, str],
                  timings: Timings, stop: threading.Event) -> None:
    rng = random.Random(n)
    context, page = opened
    actions = 0
    while not stop.is_set():
        actions += 1
        fresh = actions % FRESH_TAB_EVERY == 0
        name = rng.choice(list(deep_links) if fresh else [p for p in NAVIGATION if p != await _current(page)])
        try:
            began = time.perf_counter()
            if fresh:
                tab = await context.new_page()
                await tab.goto(deep_links[name])
                await _finished(tab)
                seconds = time.perf_counter() - began
                error = await _shows_error(tab)
                await tab.close()
                timings.fresh_tab.setdefault(name, []).append(seconds)
            else:
                await page.get_by_role("link", name=name, exact=True).first.click()
                await _finished(page, headings[name])
                seconds = time.perf_counter() - began
                error = await _shows_error(page)
                timings.navigation.setdefault(name, []).append(seconds)
            if error:
                timings.errors.append(f"session {n} {name}: the page shows an error: {error}")
        except Exception as exc:  # a timeout is an error the person would see
            timings.errors.append(f"session {n} {name} at {time.strftime('%H:%M:%S')}: "
                                  f"{type(exc).__name__}: {str(exc)[:300]}")
            try:  # start again from the overview, as a person would reload
                await page.goto("/")
                await _finished(page)
            except Exception as again:
                timings.errors.append(f"session {n} reloading: {type(again).__name__}: {str(again)[:300]}")
                break
        await asyncio.sleep(rng.uniform(0.5, 1.5))  # reading before the next click
    await context.close()


async def _current(page: Page) -> str:
    return (await page.locator("h1").first.inner_text()).strip()


async def _warm(browser, url: str, deep_links: dict[str, str]) -> dict[str, str]:
    """Open every page once (not counted) and read each navigation entry's page heading."""
    context = await browser.new_context(viewport=VIEWPORT, base_url=url)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    headings = {}
    for link in deep_links.values():
        await page.goto(link)
        await _finished(page)
    await page.goto("/")
    await _finished(page)
    for name in NAVIGATION:
        await page.get_by_role("link", name=name, exact=True).first.click()
        await page.wait_for_timeout(300)
        await _finished(page)
        headings[name] = await _current(page)
    await context.close()
    return headings


async def browse(url: str, deep_links: dict[str, str], sessions: int, stop: threading.Event,
                 warm: threading.Event) -> Timings:
    """Warm up, open every session on the overview (not counted), set `warm`, then browse until
    `stop` is set."""
    timings = Timings()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM)
        headings = await _warm(browser, url, deep_links)
        opened = [await _opened(browser, url) for _ in range(sessions)]
        warm.set()
        await asyncio.gather(*(session(n, o, deep_links, headings, timings, stop)
                               for n, o in enumerate(opened)))
        await browser.close()
    return timings


def _summary(times: dict[str, list[float]]) -> dict:
    every = sorted(s for t in times.values() for s in t)
    if not every:
        return {"count": 0}
    return {
        "count": len(every),
        "median_seconds": round(statistics.median(every), 3),
        "p95_seconds": round(statistics.quantiles(every, n=20)[-1], 3) if len(every) >= 20 else None,
        "slowest_seconds": round(every[-1], 3),
        "by_page": {p: {"count": len(t), "median_seconds": round(statistics.median(t), 3),
                        "slowest_seconds": round(max(t), 3)} for p, t in sorted(times.items())},
    }


def deep_links_for(db: Path) -> dict[str, str]:
    with store.warehouse(store.current_serving_copy(db), read_only=True) as con:
        red = con.execute("select location_id from mart.risk_current where rag = 'red' "
                          "order by likelihood * impact desc, location_id limit 1").fetchall()
        any_location = con.execute("select min(location_id) from mart.locations").fetchall()
    location = (red or any_location)[0][0]
    return {"profile": f"/profile?location={location}", "watchlist": "/watchlist", "overview": "/"}


def run(sessions: int, duration: float, workdir: Path, *, db: Path | None = None) -> dict:
    """The run on scored demo warehouse `db` (which the loads change), else on a local demo built
    and scored into `workdir` first."""
    if db is None:
        db = workdir / "warehouse.duckdb"
        for args in (("demo", "--db", str(db)), ("score", "--db", str(db))):
            done = concurrency._cli(*args)
            if done.returncode:
                raise SystemExit(f"`{args[0]}` failed: {done.stderr[-2000:]}")
    log = workdir / "streamlit.log"
    server, url = start_app(db, log)
    stop, warm, loading = threading.Event(), threading.Event(), threading.Event()
    tally, load_seconds = concurrency.Tally(), []
    timings: list[Timings] = []
    errors_at_stop: list[str] = []
    browsing = threading.Thread(target=lambda: timings.append(
        asyncio.run(browse(url, deep_links_for(db), sessions, stop, warm))))
    load_before = os.getloadavg()[0]
    try:
        browsing.start()
        if not warm.wait(timeout=600):
            raise SystemExit("the warm-up round did not finish in 10 minutes")
        started = time.perf_counter()
        loader = threading.Thread(target=concurrency.loads,
                                  args=(db, None, workdir, tally, loading, load_seconds, stop))
        loader.start()
        time.sleep(duration)
        stop.set()  # the load under way finishes; sessions stop after their current action
        browsing.join()
        loader.join()
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            errors_at_stop.append("the app did not stop within 20 s of being asked; killed")
            server.kill()
            server.wait()
    result = timings[0] if timings else Timings()
    server_log = log.read_text(errors="replace")
    errors = result.errors + tally.errors + errors_at_stop + (
        [f"the app logged a traceback: {server_log[server_log.index('Traceback'):][:500]}"]
        if "Traceback" in server_log else [])
    navigation, fresh_tab = _summary(result.navigation), _summary(result.fresh_tab)
    return {
        "sessions": sessions, "browsing_seconds": duration,
        "load_commands": "market-oversight ingest cqc FILE; market-oversight score (each its own process)",
        "seconds": round(elapsed, 1),
        "load_seconds": [round(s, 2) for s in load_seconds],
        "navigation": navigation,
        "fresh_tab": fresh_tab,
        "errors": len(errors),
        "error_samples": errors[:5],
        "targets": {"navigation_p95_seconds": TARGET_NAVIGATION_P95, "fresh_tab_slowest_seconds": TARGET_FRESH_TAB},
        "met": bool(not errors and navigation.get("p95_seconds") is not None
                    and navigation["p95_seconds"] <= TARGET_NAVIGATION_P95
                    and fresh_tab.get("count") and fresh_tab["slowest_seconds"] <= TARGET_FRESH_TAB),
        "cpus": os.cpu_count(),
        "load_average_before": round(load_before, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=4, help="browser sessions (default 4)")
    parser.add_argument("--seconds", type=float, default=180,
                        help="how long the sessions browse, loads running one after another all the while "
                             "(default 180)")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="browser-load-") as tmp:
        result = run(args.sessions, args.seconds, Path(tmp))
    write_result("browser_load", argv, load_start, result)
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
