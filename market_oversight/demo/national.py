"""Files of the national demo market, for the benchmark harness.

The national market has about 30,000 care homes and home-care agencies over 150 councils and ten
years. Its returns go into ONE big CSV file per dataset (as a national Capacity Tracker extract
would), with the same share of malformed rows as the local demo (no resubmissions: one file).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from market_oversight.demo.cqc_files import write_register
from market_oversight.demo.market import generate
from market_oversight.demo.observe import care_home_values, home_care_values, with_faults
from market_oversight.demo.scales import NATIONAL, Scale
from market_oversight.demo.tabular_files import returns_text

KINDS = ("care_home", "home_care")


def write_national_returns_csv(path: Path | str, seed: int = 1, kind: str = "care_home",
                               scale: Scale = NATIONAL) -> int:
    """Write every national return of one kind (`care_home` or `home_care`) to one CSV file with
    the canonical header; returns the number of data rows written (about 1.6 million care-home or
    1.5 million home-care rows at the default scale). For a bigger single file pass e.g.
    `dataclasses.replace(NATIONAL, care_homes=33_000)` (about 3.4 million care-home rows)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    market = generate(scale, seed, with_returns=False)
    rng = np.random.default_rng([seed, 17, KINDS.index(kind)])
    values = (care_home_values if kind == "care_home" else home_care_values)(rng, market.sim)
    originals, _ = with_faults(rng, values, care_home=kind == "care_home", resubmit_share=0.0)
    del values
    ids = market.sim.world.location_ids()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    # A year at a time, so the text of three million rows is never in memory at once.
    with path.open("wb") as out:
        for year, chunk in enumerate(_by_year(originals)):
            text = returns_text(chunk, kind, ids, market.sim.first_month, rng)
            text.write_csv(out, include_header=year == 0, null_value="", line_terminator="\n")
            rows += text.height
    return rows


def _by_year(frame: pl.DataFrame) -> list[pl.DataFrame]:
    year = (pl.col("t") // 12).alias("year")
    return [part.drop("year") for part in
            frame.with_columns(year).partition_by("year", maintain_order=True)]


def write_national_register(folder: Path | str, seed: int = 1) -> Path:
    """Write the national register as a saved-API folder (one record file per location)."""
    market = generate(NATIONAL, seed, with_returns=False)
    return write_register(market.sim, market.names, Path(folder))
