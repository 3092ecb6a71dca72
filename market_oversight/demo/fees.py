"""Fee rates the councils pay each location, and the benchmarks they are judged against.

Council usual rates are synthetic (a 2021/22 base uplifted each April); each location is paid its
own ratio of its council's usual rate, fixed for life, so that locations paid well below the usual
rate are the ones the hidden process puts under fee pressure. The Homecare Association's minimum
price for home care per hour is the published figure for the two years we hold: 28.53 (2024/25)
and 32.14 (2025/26). Fair Cost of Care medians exist from 2022/23, the year of that exercise.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from market_oversight import fmt, vocab
from market_oversight.demo.simulate import Simulation
from market_oversight.demo.world import CARE_HOME, HOME_CARE

FEE_COLUMNS = ("location_id", "provider_id", "care_category", "amount", "unit", "effective_from",
               "effective_to", "funder")
BENCHMARK_COLUMNS = ("financial_year", "care_category", "benchmark", "amount", "unit", "source")
HOMECARE_ASSOCIATION_MINIMUM = {"2024/25": 28.53, "2025/26": 32.14}   # per hour, published
_BASE_2021 = {"residential": 640.0, "residential_dementia": 690.0, "nursing": 760.0,
              "nursing_dementia": 815.0, "home_care": 19.60}
_UPLIFT = {2016: 0.030, 2017: 0.035, 2018: 0.040, 2019: 0.040, 2020: 0.045, 2021: 0.0,
           2022: 0.060, 2023: 0.090, 2024: 0.070, 2025: 0.060, 2026: 0.045}


def financial_year(start_year: int) -> str:
    return vocab.financial_year(date(start_year, 4, 1))


def _usual_rate(category: str, year: int) -> float:
    factor = 1.0
    if year >= 2021:
        for y in range(2022, year + 1):
            factor *= 1 + _UPLIFT[y]
    else:
        for y in range(year + 1, 2022):
            factor /= 1 + _UPLIFT[y]
    return _BASE_2021[category] * factor


def years(sim: Simulation) -> list[int]:
    """Financial years (by starting calendar year) that overlap the simulated months."""
    first = sim.first_month
    last = first + sim.months - 1
    start = first // 12 - (1 if first % 12 < 3 else 0)
    end = last // 12 - (1 if last % 12 < 3 else 0)
    return list(range(start, end + 1))


def council_factor(sim: Simulation) -> np.ndarray:
    rng = np.random.default_rng([sim.world.seed, 11])
    f = np.clip(rng.normal(1.0, 0.07, len(sim.world.councils.name)), 0.85, 1.2)
    f[0] = 1.0
    return f


def fee_rates(sim: Simulation, year: int) -> pl.DataFrame:
    """The rates effective from 1 April of `year` for every location active that April (as text)."""
    w = sim.world
    april = year * 12 + 3
    t = min(max(april - sim.first_month, 0), sim.months - 1)
    live = np.flatnonzero(sim.active[t] & (w.kind != 2))
    rng = np.random.default_rng([w.seed, 13, year])
    drift = rng.normal(1.0, 0.01, w.n)
    factor = council_factor(sim)[w.council] * w.fee_ratio * drift
    rows = []
    for i in live:
        kind = int(w.kind[i])
        if kind == HOME_CARE:
            cats = ["home_care"]
        else:
            base = "nursing" if w.nursing[i] else "residential"
            cats = [base, f"{base}_dementia"] if w.dementia[i] else [base]
        for cat in cats:
            rows.append((int(i), cat, round(_usual_rate(cat, year) * factor[i], 2),
                         "week" if kind == CARE_HOME else "hour"))
    loc = np.array([r[0] for r in rows], dtype=np.int64)
    return pl.DataFrame({
        "location_id": w.location_ids()[loc],
        "provider_id": w.provider_ids()[w.provider_index[loc]],
        "care_category": [r[1] for r in rows],
        "amount": [f"{r[2]:.2f}" for r in rows],
        "unit": [r[3] for r in rows],
        "effective_from": f"01/04/{year}",
        "effective_to": f"31/03/{year + 1}",
        "funder": "council",
    }).select(FEE_COLUMNS)


def benchmarks(sim: Simulation, year: int, council: int = 0) -> pl.DataFrame:
    """One council's benchmarks for one financial year (as text)."""
    fy = financial_year(year)
    factor = council_factor(sim)[council]
    name = str(sim.world.councils.name[council])
    rows = []
    for cat in _BASE_2021:
        unit = "hour" if cat == "home_care" else "week"
        usual = _usual_rate(cat, year) * factor
        rows.append((fy, cat, "council_usual_rate", usual, unit, f"{name} Council rates {fy} (synthetic)"))
        if year >= 2022:
            rows.append((fy, cat, "fair_cost_of_care_median", usual * 1.17, unit,
                         f"{name} Fair Cost of Care exercise 2022, uplifted (synthetic)"))
    if fy in HOMECARE_ASSOCIATION_MINIMUM:
        rows.append((fy, "home_care", "homecare_association_minimum", HOMECARE_ASSOCIATION_MINIMUM[fy],
                     "hour", f"Homecare Association minimum price for homecare {fy} (published)"))
    frame = pl.DataFrame(rows, schema=list(BENCHMARK_COLUMNS), orient="row")
    return frame.with_columns(fmt.texts(frame["amount"], lambda a: f"{a:.2f}"))
