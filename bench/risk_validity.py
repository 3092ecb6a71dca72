"""Benchmark: does the risk likelihood hold on real CQC history? (issue 17)

For each real history folder in ../shared/realdata (PROVENANCE.md sections 6 and 7) it imports the
folder with the project's own `ingest cqc` into a warehouse under bench/results/tmp (kept, named by
the folder and a hash of the import code, so a second run skips the import), replays every monthly
as-of date with the engine (the backtest, observed events) and reports on the as-of dates on or
after a split date only:

- the ROC AUC of the engine's likelihood with the shipped thresholds (`shipped`), with points and
  RAG bands fitted as `market-oversight calibrate` fits them on this history's dates before the split
  (`calibrated_on_own_history`), and with one fit on the fit dates of both histories together
  (`pooled_fit`, where the shipped defaults come from); no fit sees a label window that reaches
  its history's split date;
- the ROC AUC of each single-feature baseline on the same location-dates: months since the last
  rated overall report (or since registration, never rated), the current overall rating, the worst
  key question at that report (higher risk = longer, lower; never rated counts as 2.5, between
  Requires improvement and Good), and the best of them;
- the list figures: red share, red+amber share, event rate of red over the base rate, recall of
  red+amber.

The split date is fixed by a rule, not chosen by its result: the first of the month of the as-of date
60% of the way through the replayable dates. Fit dates are those whose label window (as-of date plus
the horizon) ends before the split.

    .venv/bin/python -m bench.risk_validity [--only care_homes]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from bench.run import write_result
from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.paths import PROJECT_ROOT
from market_oversight.risk import backtest, calibrate
from market_oversight.risk.backtest import BacktestOptions
from market_oversight.risk.metrics import roc_auc
from market_oversight.risk.thresholds import Thresholds, load_thresholds

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
TMP = PROJECT_ROOT / "bench" / "results" / "tmp"
HISTORIES = {
    "care_homes": ("cqc_history_care_homes_devon_plymouth_2021-02", 12),
    "community": ("cqc_history_community_asc_england_2025-02_part", 6),
}
SPLIT_SHARE = 0.6
UNRATED_RANK = 2.5
# The code an imported warehouse depends on: a change to any of these re-imports.
IMPORT_CODE = ("market_oversight/ingest", "sql/ingest", "sql/migrations", "market_oversight/vocab.py",
               "market_oversight/store.py")


def code_hash() -> str:
    digest = hashlib.sha256()
    for root in IMPORT_CODE:
        path = PROJECT_ROOT / root
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file() and f.suffix in (".py", ".sql"):
                digest.update(str(f.relative_to(PROJECT_ROOT)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def warehouse(folder: str) -> tuple[Path, dict[str, Any]]:
    """The folder imported with `ingest cqc`, once per folder and import code."""
    db = TMP / f"{folder}-{code_hash()}.duckdb"
    record = db.with_suffix(".import.json")
    if db.exists() and record.exists():
        return db, json.loads(record.read_text(encoding="utf-8"))
    TMP.mkdir(parents=True, exist_ok=True)
    for old in TMP.glob(f"{folder}-*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    result = ingest_cqc(db, str(REALDATA / folder))
    summary = {"status": result.status, "rows_read": result.rows_read, "rows_loaded": result.rows_loaded,
               "rows_quarantined": result.rows_quarantined}
    record.write_text(json.dumps(summary), encoding="utf-8")
    return db, summary


def split_date(dates: list[date]) -> date:
    return dates[int(len(dates) * SPLIT_SHARE)].replace(day=1)


def baselines(frame: pl.DataFrame) -> dict[str, float | None]:
    """ROC AUC of each single feature, oriented so that a higher value means more risk."""
    filled = frame.with_columns(pl.col("rating_rank").cast(pl.Float64).fill_null(UNRATED_RANK))
    filled = filled.with_columns(
        pl.col("worst_key_question_rank").cast(pl.Float64).fill_null(pl.col("rating_rank")))
    out = {
        "months_since_rated_report": roc_auc(filled["months_since_rated_report"].cast(pl.Float64).fill_null(0),
                                             filled["label"]),
        "current_rating": roc_auc(-filled["rating_rank"], filled["label"]),
        "worst_key_question": roc_auc(-filled["worst_key_question_rank"], filled["label"]),
    }
    best = max(((k, v) for k, v in out.items() if v is not None), key=lambda kv: kv[1], default=(None, None))
    return {**out, "best": best[0], "best_roc_auc": best[1]}


def evaluate(replay: backtest.Replay, split: date) -> dict[str, Any]:
    """Figures on the as-of dates on or after `split`."""
    after = replay.labels.filter(pl.col("as_of") >= split)
    base = replay.baselines.filter(pl.col("as_of") >= split).join(
        after.select("as_of", "location_id", "label"), on=["as_of", "location_id"])
    engine_auc = roc_auc(after["likelihood"], after["label"])
    lines = baselines(base)
    return {
        "roc_auc": engine_auc,
        "best_baseline": lines["best"],
        "over_best_baseline": engine_auc - lines["best_roc_auc"]
        if engine_auc is not None and lines["best_roc_auc"] is not None else None,
        "baselines": lines,
        **backtest.list_figures(after),
        "by_event_type": after.filter(pl.col("label")).group_by("first_event_type").len()
        .sort("first_event_type").to_dicts(),
    }


def measure(name: str, thresholds: Thresholds) -> tuple[dict[str, Any], calibrate.FitData, Path]:
    """The shipped thresholds and this history's own calibration, on the dates after the split."""
    folder, horizon = HISTORIES[name]
    started = time.perf_counter()
    db, imported = warehouse(folder)
    options = BacktestOptions(horizon_months=horizon, events="observed")
    replay = backtest.replay_history(db, thresholds, options)
    split = split_date(replay.dates)
    own = calibrate.CalibrateOptions(horizon_months=horizon, split_date=split)
    data = calibrate.fit_data(db, thresholds, own)
    fitted, fit = calibrate.fitted_thresholds(thresholds, data, own)
    out: dict[str, Any] = {
        "folder": folder, "horizon_months": horizon, "import": imported,
        "split_date": split.isoformat(),
        "fit_as_of": [data.fit_dates[0].isoformat(), data.fit_dates[-1].isoformat(), len(data.fit_dates)],
        "report_as_of": [data.report_dates[0].isoformat(), data.report_dates[-1].isoformat(),
                         len(data.report_dates)],
        "event_types": list(thresholds.event_types),
        "events_by_type": replay.events_by_type,
        "shipped": {"thresholds_hash": thresholds.hash, **evaluate(replay, split)},
        "calibrated_on_own_history": {
            "thresholds_hash": fitted.hash, "likelihood_bands": list(fitted.likelihood_bands),
            "points": {f: calibrate._points_of(fitted, f) for f in data.features},
            **evaluate(after_split(db, fitted, options, data.report_dates[0], replay), split)},
    }
    out["flexible_model"] = flexible(replay, thresholds, data)
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out, data, db


def flexible(replay: backtest.Replay, thresholds: Thresholds, data: calibrate.FitData) -> dict[str, Any]:
    """How far the same inputs can go: gradient-boosted trees (scikit-learn), free to find any
    interaction, on every flag the engine raised (graded flags by years) and the three baselines'
    raw values, fitted on the same fit dates and reported on the same dates after the split. Not
    shipped (not a scorecard a person can read); a yardstick for the scorecard's ROC AUC."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    table, features = calibrate.design(replay.labels, replay.flags, thresholds)
    raw = ["months_since_rated_report", "rating_rank", "worst_key_question_rank"]
    table = table.join(replay.baselines.select("as_of", "location_id", *raw), on=["as_of", "location_id"])
    fit = table.filter(pl.col("as_of").is_in(data.fit_dates))
    # a column the history does not hold (the community folder has no key questions) is left out
    columns = [c for c in features + raw if fit[c].drop_nulls().n_unique() > 1]
    report = table.filter(pl.col("as_of") >= data.split)
    model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0)
    model.fit(fit.select(columns).cast(pl.Float64).to_numpy(), fit["label"].cast(pl.Int8).to_numpy())
    predicted = pl.Series(model.predict_proba(report.select(columns).cast(pl.Float64).to_numpy())[:, 1])
    return {"model": "HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05)",
            "inputs": columns, "roc_auc": roc_auc(predicted, report["label"])}


def after_split(db: Path, thresholds: Thresholds, options: BacktestOptions, first: date,
                shipped: backtest.Replay) -> backtest.Replay:
    """The dates from `first` replayed with `thresholds`, with the shipped replay's baselines."""
    again = backtest.replay_history(db, thresholds, replace(options, start=first))
    return replace(again, baselines=shipped.baselines)


def pooled(thresholds: Thresholds, fits: dict[str, calibrate.FitData]) -> tuple[Thresholds, dict[str, Any]]:
    """One scorecard fitted on the fit dates of every history together: the shipped defaults. Each
    history weighs the same in the fit (its rows weighted by the mean rows per history over its
    own), so that the 35 times larger community history does not drown the care homes."""
    mean_rows = sum(f.table.height for f in fits.values()) / len(fits)
    tables = [f.table.with_columns(pl.lit(mean_rows / f.table.height).alias(calibrate.WEIGHT))
              for f in fits.values()]
    features = sorted({x for f in fits.values() for x in f.features})
    table = pl.concat(tables, how="diagonal").with_columns(
        [pl.col(x).fill_null(0) for x in features])
    data = calibrate.FitData(table, features, max(f.split for f in fits.values()),
                             min((f.fit_dates for f in fits.values()), key=lambda d: d[0]),
                             max((f.report_dates for f in fits.values()), key=lambda d: d[-1]))
    fitted, fit = calibrate.fitted_thresholds(thresholds, data, calibrate.CalibrateOptions())
    return fitted, {"intercept": round(fit.intercept, 4), "fit_location_dates": table.height,
                    "fit_events": int(table["label"].sum()),
                    "likelihood_bands": list(fitted.likelihood_bands),
                    "points": {f: calibrate._points_of(fitted, f) for f in features},
                    "raised": fit.raised}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(HISTORIES), help="measure only these histories")
    parser.add_argument("--thresholds", type=Path, help="thresholds file over the defaults (default: shipped)")
    args = parser.parse_args(argv)
    missing = [f for f, _ in HISTORIES.values() if not (REALDATA / f).is_dir()]
    if missing:
        print(f"real histories not found in {REALDATA}: {', '.join(missing)}", file=sys.stderr)
        return 2
    load_start = os.getloadavg()[0]
    thresholds = load_thresholds(args.thresholds)
    measured = {name: measure(name, thresholds) for name in args.only or HISTORIES}
    results = {name: m[0] for name, m in measured.items()}
    fitted, pooled_fit = pooled(thresholds, {name: m[1] for name, m in measured.items()})
    for name, (result, data, db) in measured.items():
        options = BacktestOptions(horizon_months=HISTORIES[name][1], events="observed")
        shipped = backtest.replay_history(db, thresholds, replace(options, start=data.report_dates[0]))
        result["pooled_fit"] = {"thresholds_hash": fitted.hash, **evaluate(
            after_split(db, fitted, options, data.report_dates[0], shipped), data.split)}
    write_result("risk_validity", argv, load_start, {"histories": results, "pooled_fit": pooled_fit})
    return 0


if __name__ == "__main__":
    sys.exit(main())
