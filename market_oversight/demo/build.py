"""Build the demo warehouse: write the sources, import them through the real importers, then record
the council's casework and the hidden truth."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from market_oversight import audit, store
from market_oversight.config import Settings
from market_oversight.demo.market import Market, Sources, generate, write_sources
from market_oversight.demo.concerns import concerns as demo_concerns
from market_oversight.demo.contingency import contingency as demo_contingency
from market_oversight.demo.truth import assessments, suspensions, truth_events, truth_months
from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.ingest.tabular import ingest_files


@dataclass
class DemoSummary:
    scale: str
    seed: int
    locations: int
    files: int
    statuses: Counter = field(default_factory=Counter)     # importer status -> count of sources
    rows_read: int = 0
    rows_quarantined: int = 0
    truth_months: int = 0
    truth_events: int = 0
    suspensions: int = 0
    concerns: int = 0
    contingency_plans: int = 0
    assessments: int = 0
    seconds: float = 0.0
    judge: str | None = None                                # who judged the returns' data contracts

    def lines(self) -> list[str]:
        out = [f"demo market '{self.scale}' (seed {self.seed}): {self.locations} locations, "
               f"{self.files} source files",
               "imported: " + (", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items())) or "nothing")
               + f"; {self.rows_read} rows read, {self.rows_quarantined} quarantined",
               f"casework: {self.suspensions} placement suspensions, {self.assessments} quality assessments, "
               f"{self.concerns} provider concerns, {self.contingency_plans} contingency plan reviews",
               f"hidden truth: {self.truth_months} location-months, {self.truth_events} events",
               f"took {self.seconds:.1f} s"]
        if self.judge == "sql":
            out.append("data contracts checked by their SQL compilation; `demo --judge gx` has Great "
                       "Expectations judge each file too (about 3 s a file)")
        return out


def import_sources(db: Path, sources: Sources, summary: DemoSummary, settings: Settings, judge: str) -> None:
    """Every source through the same code paths a council's own files take, in arrival order."""
    results = [ingest_cqc(db, str(sources.register), local_authority=None, api_key=None, progress=False)]
    # One open of the warehouse for every file (each file still its own transaction).
    results += ingest_files(db, [(f.kind, f.path) for f in sources.files], settings=settings, judge=judge)
    summary.judge = judge
    for r in results:
        summary.statuses[r.status] += 1
        summary.rows_read += r.rows_read
        summary.rows_quarantined += r.rows_quarantined


def write_truth(db: Path, market: Market, summary: DemoSummary) -> None:
    months, events = truth_months(market.sim), truth_events(market.sim)
    with store.warehouse(db) as con, store.transaction(con):
        store.run(con, "demo/clear_truth")
        con.register("truth_months", months.to_arrow())
        con.register("truth_events", events.to_arrow())
        store.run(con, "demo/insert_truth_months")
        store.run(con, "demo/insert_truth_events")
        con.unregister("truth_months")
        con.unregister("truth_events")
    summary.truth_months, summary.truth_events = months.height, events.height


def write_casework(db: Path, market: Market, summary: DemoSummary) -> None:
    """The demo council's own records: placement suspensions, quality visits, provider concerns and
    the contingency register (by 'demo')."""
    susp, visits = suspensions(market.sim), assessments(market.sim)
    frames = {"suspensions": susp, "assessments": visits, **demo_concerns(market.sim, susp),
              **demo_contingency(market.sim)}
    with store.casework(db) as con, store.transaction(con):
        earlier = store.run(con, "demo/casework_rows").fetchall()
        store.run(con, "demo/clear_casework")
        for name, frame in frames.items():  # each insert_<name>.sql reads the frame demo_<name>
            con.register(f"demo_{name}", frame.to_arrow())
            store.run(con, f"demo/insert_{name}")
            con.unregister(f"demo_{name}")
        # The audit log seals every casework row, the demo's too: what went, then what came.
        for action, rows in (("demo_casework_removed", earlier),
                             ("demo_casework_added", store.run(con, "demo/casework_rows").fetchall())):
            for table, row_id, location_id in rows:
                audit.record(con, "demo", action, location_id, row=(table, row_id))
    summary.suspensions, summary.assessments = susp.height, visits.height
    summary.concerns = frames["concerns"].height
    summary.contingency_plans = frames["contingency_plans"].height


def build_demo(db: Path, settings: Settings, *, seed: int = 1, scale: str = "local",
               files_dir: Path | None = None, judge: str = "sql") -> DemoSummary:
    """Generate the demo market, write its source files (into `files_dir` when given, else a
    temporary folder), import them under `settings` (the due day of returns), and record casework
    and the hidden truth."""
    started = time.perf_counter()
    market = generate(scale, seed)
    summary = DemoSummary(scale, seed, market.sim.world.n, 0)
    with tempfile.TemporaryDirectory(prefix="market-oversight-demo-") as tmp:
        folder = Path(files_dir) if files_dir else Path(tmp)
        sources = write_sources(market, folder)
        summary.files = len(sources.files) + 1
        # Casework first: every warehouse open mirrors it, so imports and scores then see it.
        if market.scale.with_casework:
            write_casework(db, market, summary)
        import_sources(db, sources, summary, settings, judge)
    write_truth(db, market, summary)
    summary.seconds = time.perf_counter() - started
    return summary
