"""Backtest: replay monthly as-of dates over the stored history and check whether red and amber came
before the events that matter, within a horizon.

Scores are computed in memory for each date (the same engine as `score`, no score is stored), so a
backtest measures the current thresholds on the past. Every replayed location-date can be written
to a Parquet or CSV file (`--scores-out`) for an analyst to check against a baseline of their own,
and the figures stored (`--save`) for the app's "How reliable are these flags?" page. Events come from the warehouse itself
(`observed`: CQC downgrades to Requires improvement or Inadequate, closures (deregistrations),
placement suspensions) or from the demo's hidden truth (`demo_truth.events`).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from market_oversight import export, store, vocab
from market_oversight.config import Settings
from market_oversight.errors import RiskError, UnknownScoresFormat
from market_oversight.risk import engine
from market_oversight.risk.metrics import median, precision_at_top, roc_auc
from market_oversight.risk.thresholds import DEFAULT_THRESHOLDS, LIKELIHOOD_DOMAINS, Thresholds

EVENT_SOURCES = ("observed", "demo_truth")
WARM_UP_MONTHS = 6  # history needed before the first replayed date (turnover, trends)
SCORES_FORMATS = {".parquet": "parquet", ".csv": "csv"}  # --scores-out: the suffix chooses
RELIABILITY_BAND_POINTS = 10  # width, in likelihood points, of each band of the reliability table


@dataclass(frozen=True)
class BacktestOptions:
    horizon_months: int = 6
    events: str = "observed"
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Replay:
    """Replayed location-dates: `labels` (one row per location and as-of date: likelihood, impact,
    computed RAG, label, first event), `flags` (one row per flag raised), `leads` (one row per event
    seen coming), `baselines` (single-feature baselines, sql/risk/backtest_baselines.sql)."""
    labels: pl.DataFrame
    flags: pl.DataFrame
    leads: pl.DataFrame
    baselines: pl.DataFrame
    events_by_type: dict[str, int]
    dates: list[date]


def replay_history(db: Path, thresholds: Thresholds, options: BacktestOptions,
                   settings: Settings | None = None) -> Replay:
    """Score every monthly as-of date of `options` in memory and label each location-date with the
    events of `thresholds.event_types` within the horizon (nothing is stored)."""
    if options.events not in EVENT_SOURCES:
        raise RiskError(f"unknown event source {options.events!r}; expected {', '.join(EVENT_SOURCES)}")
    if options.horizon_months < 1:
        raise RiskError("the horizon must be at least one month")
    with store.warehouse(db, publish=False) as con:
        _load_events(con, options.events)
        dates = replay_dates(con, options)
        engine.record_settings(con, settings)
        _replay(con, dates, thresholds)
        params = {"horizon_months": options.horizon_months, "event_types": list(thresholds.event_types),
                  **vocab.sql_params()}
        frames = {name: store.query(con, "risk/" + name, **store.statement("risk/" + name).bind(params))
                  for name in ("backtest_labels", "backtest_leads", "backtest_baselines")}
        flags = store.frame(con, "select as_of, location_id, flag, domain, points, value, part from bt_flags")
        event_counts = dict(con.execute(
            "select event_type, count(*) from bt_events group by event_type order by 1").fetchall())
    return Replay(frames["backtest_labels"], flags, frames["backtest_leads"], frames["backtest_baselines"],
                  event_counts, dates)


def run_backtest(db: Path, thresholds: Thresholds, options: BacktestOptions,
                 settings: Settings | None = None, *, scores_out: Path | None = None,
                 save: bool = False) -> dict[str, Any]:
    """Replay and summarise; write every location-date to `scores_out` (.parquet or .csv, checked
    before the replay starts) and store the figures in the warehouse when `save`."""
    if scores_out is not None:
        check_scores_out(scores_out)
    replay = replay_history(db, thresholds, options, settings)
    result = {
        "events_source": options.events,
        "event_types": list(thresholds.event_types),
        "events_by_type": replay.events_by_type,
        "horizon_months": options.horizon_months,
        "first_as_of": replay.dates[0].isoformat(),
        "last_as_of": replay.dates[-1].isoformat(),
        "as_of_dates": len(replay.dates),
        "thresholds_hash": thresholds.hash,
        "thresholds_source": thresholds.source,
        "thresholds_default": thresholds.source == str(DEFAULT_THRESHOLDS),
        "thresholds_fitted_at": fitted_at(thresholds),
        **summarise(replay.labels, replay.leads, replay.flags, thresholds.top_share),
        "reliability": reliability_bands(replay.labels, thresholds),
    }
    if scores_out is not None:
        table = scores_table(replay)
        write_scores(table, scores_out)
        result["scores_out"] = {"path": str(scores_out), "rows": table.height}
    if save:
        result["saved_as"] = save_result(db, result)
    return result


def fitted_at(thresholds: Thresholds) -> str | None:
    """When `market-oversight calibrate` fitted the thresholds ([calibration] fitted_at), if it did."""
    return thresholds.raw.get("calibration", {}).get("fitted_at")


def check_scores_out(path: Path) -> str:
    """The format of a scores file, from its suffix; refused before any work when it is neither
    .parquet nor .csv, or its folder does not exist."""
    kind = SCORES_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UnknownScoresFormat(f"{path}: a scores file must end in .parquet or .csv (the suffix "
                                  "chooses the format); nothing was replayed")
    if not path.parent.is_dir():
        raise RiskError(f"{path}: the folder {path.parent} does not exist; nothing was replayed")
    return kind


def scores_table(replay: Replay) -> pl.DataFrame:
    """Every replayed location-date: its likelihood, impact, RAG, the flags raised (codes, comma-
    separated, in alphabetical order), whether an event followed within the horizon (label) and the
    first such event. Grain: one row per location and as-of date."""
    flags = replay.flags.group_by("as_of", "location_id").agg(
        pl.col("flag").sort().str.join(",").alias("flags"))
    return (replay.labels.join(flags, on=["as_of", "location_id"], how="left")
            .select("location_id", "as_of", "likelihood", "impact", pl.col("computed_rag").alias("rag"),
                    pl.col("flags").fill_null(""), "label", "first_event_type", "first_event_date")
            .sort("as_of", "location_id"))


def write_scores(table: pl.DataFrame, path: Path) -> None:
    """Write `table` as Parquet or CSV by `path`'s suffix, whole or not at all (through a
    temporary file beside it, renamed into place)."""
    kind = check_scores_out(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if kind == "parquet":
            table.write_parquet(tmp)
        else:
            tmp.write_bytes(export.to_csv(table))  # safe to open in a spreadsheet, like every CSV we write
        os.replace(tmp, path)
    except OSError as exc:
        raise RiskError(f"cannot write {path}: {exc.strerror or exc}; no scores file was written") from exc
    finally:
        tmp.unlink(missing_ok=True)


def save_result(db: Path, result: dict[str, Any]) -> str:
    """Store a backtest's figures in the warehouse (table backtest_results) for the app's
    reliability page, and publish a serving copy so the app sees them. Returns the run id."""
    run_id = uuid.uuid4().hex
    params = {
        "run_id": run_id, "ran_at": datetime.now(), "thresholds_hash": result["thresholds_hash"],
        "thresholds_source": result["thresholds_source"],
        "thresholds_fitted_at": result["thresholds_fitted_at"], "events_source": result["events_source"],
        "event_types": result["event_types"], "horizon_months": result["horizon_months"],
        "first_as_of": result["first_as_of"], "last_as_of": result["last_as_of"],
        "location_dates": result["location_dates"], "positives": result["positives"],
        "roc_auc": result["roc_auc"], "result": json.dumps(result, default=str),
    }
    with store.warehouse(db) as con, store.transaction(con):
        store.run(con, "risk/save_backtest_result", **params)
    return run_id


def _load_events(con: duckdb.DuckDBPyConnection, source: str) -> None:
    if source == "demo_truth":
        found = con.execute("select count(*) from demo_truth.events").fetchone()[0]
        if not found:
            raise RiskError("this warehouse has no demo_truth.events (only the demo writes it); "
                            "use --events observed for a council's own history")
    stmt = store.statement("risk/events_" + source)
    con.execute(f"create or replace temp table bt_events as\n{stmt.text}", stmt.bind(vocab.sql_params()))


def replay_dates(con: duckdb.DuckDBPyConnection, options: BacktestOptions) -> list[date]:
    """Monthly as-of dates (the 15th, after returns fall due on the 14th by default) from
    WARM_UP_MONTHS after the first data to the last date whose whole horizon has been observed."""
    first = store.run(con, "risk/backtest_range").fetchone()[0]
    last = engine.latest_data_date(con)
    if first is None:
        raise RiskError("the warehouse has no returns or ratings to backtest on")
    start = options.start or add_months(first.replace(day=15), WARM_UP_MONTHS)
    end = options.end or add_months(last, -options.horizon_months)
    dates = engine.month_steps(start, end)
    if not dates:
        raise RiskError(f"not enough history to backtest: data from {first} to {last}, "
                        f"{WARM_UP_MONTHS} months warm-up and a {options.horizon_months}-month horizon")
    return dates


def replay_dates_of(db: Path, options: BacktestOptions) -> list[date]:
    """The as-of dates a backtest with `options` would replay on the warehouse `db`."""
    with store.warehouse(db, publish=False) as con:
        return replay_dates(con, options)


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    day = min(d.day, (date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1) - timedelta(days=1)).day)
    return date(y, m + 1, day)


def _replay(con: duckdb.DuckDBPyConnection, dates: list[date], thresholds: Thresholds) -> None:
    con.execute("create or replace temp table bt_scores (as_of date, location_id varchar, "
                "likelihood double, impact double, computed_rag varchar)")
    con.execute("create or replace temp table bt_flags (as_of date, location_id varchar, "
                "flag varchar, domain varchar, points double, value double, part varchar)")
    for d in dates:
        engine.compute(con, d, thresholds)
        con.execute("insert into bt_scores select $d, location_id, likelihood, impact, computed_rag "
                    "from stage_scores", {"d": d})
        con.execute("insert into bt_flags select $d, location_id, flag, domain, points, value, "
                    "evidence ->> 'part' from stage_scaled_flags", {"d": d})


def list_figures(frame: pl.DataFrame) -> dict[str, Any]:
    """What a team gets from the lists (issue 17 point 4): the red and red+amber shares of
    location-dates, the event rate of red against the base rate, and the share of location-dates
    followed by an event that were red or amber (recall). `frame` has computed_rag and label."""
    n = frame.height
    positives = int(frame["label"].sum()) if n else 0
    base = positives / n if n else None
    red = frame.filter(pl.col("computed_rag") == "red")
    warned = frame.filter(pl.col("computed_rag").is_in(["red", "amber"]))
    red_precision = float(red["label"].mean()) if red.height else None
    return {
        "location_dates": n,
        "positives": positives,
        "base_rate": base,
        "red_share": red.height / n if n else None,
        "red_amber_share": warned.height / n if n else None,
        "red_precision": red_precision,
        "red_precision_over_base": red_precision / base if red_precision is not None and base else None,
        "red_amber_recall": int(warned["label"].sum()) / positives if positives else None,
    }


def summarise(labels: pl.DataFrame, leads: pl.DataFrame, flags: pl.DataFrame,
              top_share: float) -> dict[str, Any]:
    """The metrics, from replayed scores with labels, event leads and flags (pure)."""
    frame = labels.rename({"likelihood": "score"})
    warned = frame["computed_rag"].is_in(["red", "amber"])
    positives = int(frame["label"].sum())
    red_amber = frame.filter(warned)
    return {
        "location_dates": frame.height,
        "positives": positives,
        "base_rate": positives / frame.height if frame.height else None,
        "roc_auc": roc_auc(frame["score"], frame["label"]),
        "precision_top": precision_at_top(frame, top_share),
        "top_share": top_share,
        "red_amber": {
            "location_dates": red_amber.height,
            "precision": float(red_amber["label"].mean()) if red_amber.height else None,
            "recall": float(frame.filter(pl.col("label"))["computed_rag"].is_in(["red", "amber"]).mean())
            if positives else None,
        },
        "by_rag": {rag: {"location_dates": part.height,
                         "events": int(part["label"].sum()),
                         "share": part.height / frame.height if frame.height else None,
                         "event_rate": float(part["label"].mean()) if part.height else None}
                   for rag in ("red", "amber", "green")
                   for part in [frame.filter(pl.col("computed_rag") == rag)]},
        "events_replayed": leads.height,
        "events_warned": int(leads["first_warning"].is_not_null().sum()) if leads.height else 0,
        "median_lead_months": median(leads["lead_months"].drop_nulls().to_list()) if leads.height else None,
        "indicators": indicator_contributions(frame, flags),
    }


def indicator_contributions(frame: pl.DataFrame, flags: pl.DataFrame) -> list[dict[str, Any]]:
    """Per likelihood flag: how often raised, the event rate when raised (precision) and its lift
    over the base rate, and the ROC AUC of the likelihood without that flag's points (the drop is
    what the flag adds to the ranking)."""
    full = roc_auc(frame["score"], frame["label"])
    base = float(frame["label"].mean()) if frame.height else 0.0
    out = []
    likelihood_flags = flags.filter(pl.col("domain").is_in(list(LIKELIHOOD_DOMAINS)))
    for name in sorted(likelihood_flags["flag"].unique().to_list()):
        mine = likelihood_flags.filter(pl.col("flag") == name).select("as_of", "location_id", "points")
        joined = frame.join(mine, on=["as_of", "location_id"], how="left").with_columns(
            pl.col("points").fill_null(0.0))
        raised = joined.filter(pl.col("points") > 0)
        precision = float(raised["label"].mean()) if raised.height else None
        without = roc_auc(joined["score"] - joined["points"], joined["label"])
        out.append({
            "flag": name,
            "raised": raised.height,
            "precision": precision,
            "lift": precision / base if precision is not None and base else None,
            "roc_auc_without": without,
            "roc_auc_drop": full - without if full is not None and without is not None else None,
        })
    return out


def reliability_bands(labels: pl.DataFrame, thresholds: Thresholds) -> list[dict[str, Any]]:
    """Location-dates in bands of RELIABILITY_BAND_POINTS likelihood points (the top band takes the
    cap), each with its observed event rate and, when `calibrate` fitted the thresholds (an
    intercept), the mean probability the fit predicts. Empty bands are left out."""
    calibration = thresholds.raw.get("calibration", {})
    intercept, per_log_odds = calibration.get("intercept"), calibration.get("points_per_log_odds")
    width = RELIABILITY_BAND_POINTS
    top = max(int(thresholds.cap // width) - 1, 0)
    banded = labels.with_columns(
        (pl.col("likelihood") // width).cast(pl.Int64).clip(0, top).alias("band"))
    if intercept is not None and per_log_odds:
        log_odds = pl.lit(float(intercept)) + pl.col("likelihood") / float(per_log_odds)
        banded = banded.with_columns((1 / (1 + (-log_odds).exp())).alias("predicted"))
    else:
        banded = banded.with_columns(pl.lit(None, dtype=pl.Float64).alias("predicted"))
    table = banded.group_by("band").agg(
        pl.len().alias("location_dates"), pl.col("label").sum().alias("events"),
        pl.col("label").mean().alias("observed"), pl.col("predicted").mean().alias("predicted"),
    ).sort("band")
    return [{"points_from": float(r["band"] * width),
             "points_to": float(thresholds.cap if r["band"] == top else (r["band"] + 1) * width),
             "location_dates": r["location_dates"], "events": int(r["events"]),
             "observed": r["observed"], "predicted": r["predicted"]}
            for r in table.iter_rows(named=True)]
