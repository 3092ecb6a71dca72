"""The demo market in one object, and the source files it writes.

`generate(scale, seed)` runs the world, the hidden process and the returns; `write_sources(market,
folder)` writes every source file a council would receive, and says in which order they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from market_oversight.demo.cqc_files import write_register
from market_oversight.demo.fees import benchmarks, fee_rates, years
from market_oversight.demo.names import Names, make_names
from market_oversight.demo.observe import care_home_values, home_care_values, with_faults
from market_oversight.demo.scales import SCALES, Scale, month_start
from market_oversight.demo.simulate import Simulation, simulate
from market_oversight.demo.tabular_files import capacity_tracker_spelling, returns_text, write_table
from market_oversight.demo.world import build_world

DATASETS = {"care_home": "care_home_returns", "home_care": "home_care_returns"}


@dataclass
class Market:
    scale: Scale
    seed: int
    sim: Simulation
    names: Names
    returns: dict[str, tuple[pl.DataFrame, pl.DataFrame]]   # kind -> (originals, resubmissions)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    kind: str            # the importer's kind: 'returns' | 'fees' | 'benchmarks'
    arrives: datetime    # when the council receives it: files are imported in this order


@dataclass
class Sources:
    register: Path
    files: list[SourceFile] = field(default_factory=list)


def generate(scale: Scale | str, seed: int, *, with_returns: bool = True) -> Market:
    scale = SCALES[scale] if isinstance(scale, str) else scale
    world = build_world(scale, seed)
    sim = simulate(world)
    returns = {}
    if with_returns:
        rng = np.random.default_rng([seed, 17])
        returns["care_home"] = with_faults(rng, care_home_values(rng, sim), care_home=True)
        returns["home_care"] = with_faults(rng, home_care_values(rng, sim), care_home=False)
    return Market(scale, seed, sim, make_names(world), returns)


XLSX_MAX_ROWS = 5_000   # a council's own spreadsheet; national monthly extracts come as CSV


def _file_style(seed: int, kind: str, t: int, rows: int) -> tuple[str, bool]:
    """Which format a month's file comes in: a quarter are XLSX (when small enough to be a
    spreadsheet someone typed), a quarter use Capacity Tracker column names (decided per file,
    reproducibly)."""
    r = np.random.default_rng([seed, 19, 0 if kind == "care_home" else 1, t]).random(2)
    return (".xlsx" if r[0] < 0.25 and rows <= XLSX_MAX_ROWS else ".csv"), bool(r[1] < 0.25)


def _returns_files(market: Market, kind: str, folder: Path) -> list[SourceFile]:
    sim, dataset = market.sim, DATASETS[kind]
    ids = sim.world.location_ids()
    rng = np.random.default_rng([market.seed, 23, 0 if kind == "care_home" else 1])
    originals, resubmitted = market.returns[kind]
    out = []
    sent_by_period: dict[int, datetime] = {}
    for label, frame in (("", originals), ("_resubmitted", resubmitted)):
        if frame.is_empty():        # a tiny market may have no resubmission at all
            continue
        text = returns_text(frame, kind, ids, sim.first_month, rng)
        sent = frame.group_by("t").agg(pl.col("submitted_at").max()).sort("t")
        parts = text.with_columns(frame["t"]).partition_by("t", as_dict=True, maintain_order=True)
        for (t, sent_at) in sent.iter_rows():
            period = month_start(sim.first_month + t).strftime("%Y-%m")
            rows = parts[(t,)].drop("t")
            suffix, tracker = _file_style(market.seed, kind, t, rows.height)
            if label:
                sent_at = max(sent_at, sent_by_period.get(t, sent_at) + timedelta(days=1))
            else:
                sent_by_period[t] = sent_at
            if tracker:
                rows = capacity_tracker_spelling(rows, kind)
            path = write_table(rows, folder / "returns" / f"{dataset}_{period}{label}{suffix}")
            out.append(SourceFile(path, "returns", sent_at))
    return out


def write_sources(market: Market, folder: Path) -> Sources:
    """Write the register folder and every returns, fees and benchmarks file under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = Sources(write_register(market.sim, market.names, folder / "cqc_api"))
    for year in years(market.sim):
        sent = datetime(year, 3, 20)
        sources.files.append(SourceFile(
            write_table(benchmarks(market.sim, year), folder / "benchmarks" / f"benchmarks_{year}-{(year + 1) % 100:02d}.csv"),
            "benchmarks", sent))
        suffix = ".xlsx" if year % 2 else ".csv"
        sources.files.append(SourceFile(
            write_table(fee_rates(market.sim, year), folder / "fees" / f"fee_rates_{year}-04{suffix}"),
            "fees", sent + timedelta(days=1)))
    for kind in market.returns:
        sources.files += _returns_files(market, kind, folder)
    sources.files.sort(key=lambda f: (f.arrives, f.path.name))
    return sources
