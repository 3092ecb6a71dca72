"""How reliable are the flags: the newest backtest stored in the warehouse (`market-oversight
backtest --save`), and the figures and tables the reliability page draws from it.

A backtest replays the score over years of history, which takes far too long for a page view, so
the page reads what the command stored. Everything below the two queries is a pure function of
the stored figures (the JSON `backtest --json` prints), so it is tested without Streamlit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from market_oversight import fmt
from market_oversight.store import query

SAVE_COMMAND = "market-oversight backtest --save"
RAGS = ("red", "amber", "green")


@dataclass(frozen=True)
class StoredBacktest:
    run_id: str
    ran_at: datetime
    thresholds_hash: str
    thresholds_source: str
    thresholds_fitted_at: datetime | None
    events_source: str
    event_types: list[str]
    horizon_months: int
    first_as_of: date
    last_as_of: date
    location_dates: int
    positives: int
    roc_auc: float | None
    result: dict[str, Any]  # every figure of `backtest --json`


def latest(con: duckdb.DuckDBPyConnection) -> StoredBacktest | None:
    """The newest stored backtest; None when none has been stored."""
    rows = query(con, "queries/reliability_latest").to_dicts()
    if not rows:
        return None
    row = rows[0]
    return StoredBacktest(**{**row, "result": json.loads(row["result"])})


def current_scores_hash(con: duckdb.DuckDBPyConnection) -> str | None:
    """The thresholds hash of the latest stored scores (None when nothing is scored, or when the
    latest date was scored with more than one set of thresholds)."""
    row = query(con, "queries/reliability_scores_hash").row(0, named=True)
    return row["thresholds_hash"] if row["hashes"] == 1 else None


# ---- figures (pure) ------------------------------------------------------------------------------

def events_caught(result: dict[str, Any], rags: tuple[str, ...]) -> float | None:
    """Recall: the share of location-dates followed by an event that were in `rags` beforehand."""
    positives = result["positives"]
    if not positives:
        return None
    return sum(part["events"] for rag, part in result["by_rag"].items() if rag in rags) / positives


def times_base(rate: float | None, base: float | None) -> str:
    """An event rate against the base rate: "4.2×"."""
    if rate is None or not base:
        return fmt.MISSING
    return f"{rate / base:.1f}×"


def rag_table(result: dict[str, Any]) -> pl.DataFrame:
    """Per RAG: the share followed by an event, that against the base rate, the share of
    location-dates and their number (the telling figures first, for narrow screens)."""
    base = result["base_rate"]
    rows = []
    for rag in RAGS:
        part = result["by_rag"].get(rag, {"location_dates": 0, "share": None, "event_rate": None})
        rows.append({
            "RAG": fmt.rag(rag),
            "Followed by an event": fmt.percent(part["event_rate"], 1),
            "Against the base rate": times_base(part["event_rate"], base),
            "Share of location-dates": fmt.percent(part["share"], 1),
            "Location-dates": fmt.count(part["location_dates"]),
        })
    return pl.DataFrame(rows)


def indicator_table(result: dict[str, Any]) -> pl.DataFrame:
    """Each likelihood indicator: its lift over the base rate, the event rate when raised with
    points, how often, and the ROC AUC lost without it; highest lift first, never raised last."""
    ordered = sorted(result["indicators"], key=lambda i: (i["lift"] is None, -(i["lift"] or 0), i["flag"]))
    rows = [{
        "Indicator": fmt.label(i["flag"]),
        "Lift over the base rate": f"{i['lift']:.1f}×" if i["lift"] is not None else fmt.MISSING,
        "Followed by an event": fmt.percent(i["precision"], 1) if i["raised"] else "Never raised",
        "Times raised": fmt.count(i["raised"]),
        "ROC AUC lost without it": fmt.MISSING if i["roc_auc_drop"] is None
        else f"{round(i['roc_auc_drop'], 3) + 0.0:+.3f}".replace("-", "−"),  # + 0.0: no "−0.000"
    } for i in ordered]
    return pl.DataFrame(rows, schema=["Indicator", "Lift over the base rate", "Followed by an event",
                                      "Times raised", "ROC AUC lost without it"])


def reliability_frame(result: dict[str, Any]) -> pl.DataFrame:
    """The reliability table for the chart: one row per band of likelihood points (band, its order,
    location-dates, events, observed event rate, predicted probability where the thresholds were
    fitted), plus the same rates written as per cent for the chart's tooltip and table."""
    rows = [{
        "Likelihood points": f"{b['points_from']:.0f}–{b['points_to']:.0f}",
        "order": i,
        "Location-dates": b["location_dates"],
        "Events": b["events"],
        "observed": b["observed"],
        "predicted": b["predicted"],
        "Followed by an event": fmt.percent(b["observed"], 1),
        "Predicted": fmt.percent(b["predicted"], 1),
    } for i, b in enumerate(result.get("reliability", []))]
    return pl.DataFrame(rows, schema={"Likelihood points": pl.String, "order": pl.Int64,
                                      "Location-dates": pl.Int64, "Events": pl.Int64, "observed": pl.Float64,
                                      "predicted": pl.Float64, "Followed by an event": pl.String,
                                      "Predicted": pl.String})


def reliability_summary(result: dict[str, Any]) -> str:
    """One sentence: how the observed event rate moves from the lowest band to the highest."""
    bands = result.get("reliability", [])
    if not bands:
        return "This backtest stored no reliability table; run it again to draw one."
    low, high = bands[0], bands[-1]
    return (f"Of location-dates scoring {low['points_from']:.0f} to {low['points_to']:.0f} likelihood points, "
            f"{fmt.percent(low['observed'], 1)} were followed by an event within {result['horizon_months']} "
            f"months; of those scoring {high['points_from']:.0f} to {high['points_to']:.0f}, "
            f"{fmt.percent(high['observed'], 1)} (the base rate is {fmt.percent(result['base_rate'], 1)}).")


def what_was_replayed(stored: StoredBacktest) -> str:
    """A sentence saying what the backtest replayed and what counted as an event."""
    events = [fmt.event_type(e) for e in stored.event_types]
    named = events[0] if len(events) == 1 else f"{', '.join(events[:-1])} or {events[-1]}"
    source = ("the demo's hidden events" if stored.events_source == "demo_truth"
              else "events recorded in this warehouse")
    return (f"The risk score was replayed on the 15th of each month from {fmt.month(stored.first_as_of)} to "
            f"{fmt.month(stored.last_as_of)} ({fmt.count(stored.result.get('as_of_dates'), 'date')}, "
            f"{fmt.count(stored.location_dates, 'location-date')}), and each location-date checked for "
            f"{named} in the following {fmt.count(stored.horizon_months, 'month')} ({source}): "
            f"{fmt.count(stored.positives, 'location-date')} were followed by one.")


def thresholds_lines(stored: StoredBacktest, scores_hash: str | None) -> list[str]:
    """Which thresholds were measured, when they were fitted, and whether the scores use them now."""
    if stored.thresholds_fitted_at:
        fitted = f"fitted by `market-oversight calibrate` on {fmt.date_time(stored.thresholds_fitted_at)}"
    elif stored.result.get("thresholds_default"):
        fitted = ("the shipped defaults, not fitted on this warehouse (where their points come from is "
                  "written in risk/thresholds.toml)")
    else:
        fitted = f"from {stored.thresholds_source}, not fitted by `market-oversight calibrate`"
    lines = [f"Thresholds {stored.thresholds_hash[:12]}, {fitted}; backtest run on "
             f"{fmt.date_time(stored.ran_at)}."]
    if scores_hash is None:
        lines.append("No current scores to compare them with.")
    elif scores_hash == stored.thresholds_hash:
        lines.append("The current scores use these thresholds.")
    else:
        lines.append(f"The current scores use other thresholds ({scores_hash[:12]}), so these figures "
                     f"describe the earlier ones: run `{SAVE_COMMAND}` again to measure the new.")
    return lines
