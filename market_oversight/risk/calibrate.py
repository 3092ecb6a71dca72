"""Calibration: set the likelihood points from the warehouse's own history (issue 17 point 2).

A logistic-regression scorecard over the engine's own flags. The history is replayed monthly with
the engine (the backtest); each location-date of an as-of date whose label window (the as-of date
plus the horizon) ends before the split date is one row of the fit, its features the likelihood
flags raised (a banded flag gives one feature per band), its label whether an event of the chosen
types followed within the horizon. scikit-learn fits the model; a flag's points are its coefficient
times POINTS_PER_LOG_ODDS, so points add up as log-odds do. A feature whose coefficient comes out
negative is dropped and the model refitted, so that every flag still warns (points >= 0) and the
evidence stays readable. Flags raised too rarely in the fit keep the points they had.

The likelihood bands for RAG are set from the fit dates too: the lowest points at which red (with
the hard floors) is at most `red_share` of location-dates, and red or amber at most
`red_amber_share`. Then the dates on or after the split date are replayed with the fitted
thresholds and reported on: nothing after the split date touches the fit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from market_oversight.config import Settings
from market_oversight.errors import RiskError
from market_oversight.risk import backtest
from market_oversight.risk.backtest import BacktestOptions
from market_oversight.risk.metrics import roc_auc
from market_oversight.risk.thresholds import LIKELIHOOD_DOMAINS, PER_YEAR, Thresholds, parse_thresholds

POINTS_PER_LOG_ODDS = 20.0   # 20 points double the odds about every 14 points (20 x ln 2)
MIN_EVENTS = 20              # events in the fit dates below which nothing is fitted
MIN_RAISED = 30              # a feature raised fewer times than this in the fit keeps its points
SPLIT_SHARE = 0.6            # default split: 60% of the way through the replayable as-of dates
WEIGHT = "weight"            # optional column of the design table: each row's weight in the fit
LIKELIHOOD_ONLY = [["green", "green", "green"], ["amber", "amber", "amber"], ["red", "red", "red"]]


class HistoryTooShort(RiskError):
    """The warehouse's history before the split date is too short to fit a scorecard."""


@dataclass(frozen=True)
class CalibrateOptions:
    horizon_months: int = 12
    events: str = "observed"
    split_date: date | None = None
    red_share: float = 0.08
    red_amber_share: float = 0.20
    regularisation: float = 1.0   # scikit-learn's C: inverse strength of the L2 penalty


@dataclass
class Fit:
    intercept: float
    points: dict[str, float]                 # feature -> fitted points (0 when dropped)
    raised: dict[str, int]                   # feature -> times raised in the fit
    kept: dict[str, str] = field(default_factory=dict)   # feature -> why it kept its old points


def feature_name(thresholds: Thresholds, flag: str, value: float | None, part: str | None = None) -> str:
    """The feature a raised flag is: its name, for a banded flag 'name[band]', for a graded flag
    'name[part]'."""
    ind = thresholds.indicator(flag)
    if ind.per_year and part is not None:
        return f"{flag}[{part}]"
    if ind.bands and value is not None:
        return f"{flag}[{ind.band_of(value)}]"
    return flag


def feature_value(thresholds: Thresholds, flag: str, value: float | None) -> float:
    """What a raised flag puts in its feature's column: 1, or for a graded flag the years its
    points grow by (so that the fitted coefficient is per year)."""
    ind = thresholds.indicator(flag)
    return ind.years(value) if ind.per_year and value is not None else 1.0


def design(labels: pl.DataFrame, flags: pl.DataFrame, thresholds: Thresholds) -> tuple[pl.DataFrame, list[str]]:
    """One row per location-date with a column per likelihood feature (0 when not raised; 1, or
    the years of a graded flag, when raised), and the label."""
    likely = flags.filter(pl.col("domain").is_in(list(LIKELIHOOD_DOMAINS)))
    parts = likely["part"] if "part" in likely.columns else pl.Series([None] * likely.height, dtype=pl.String)
    rows_of = list(zip(likely["flag"], likely["value"], parts))
    names = [feature_name(thresholds, f, v, p) for f, v, p in rows_of]
    values = [feature_value(thresholds, f, v) for f, v, _ in rows_of]
    long = likely.select("as_of", "location_id").with_columns(pl.Series("feature", names, dtype=pl.String),
                                                             pl.Series("x", values, dtype=pl.Float64))
    features = sorted(set(names))
    rows = labels.select("as_of", "location_id", "label")
    if not features:
        return rows, []
    wide = long.unique(["as_of", "location_id", "feature"]).pivot(
        on="feature", index=["as_of", "location_id"], values="x")
    out = rows.join(wide, on=["as_of", "location_id"], how="left").with_columns(
        [pl.col(f).fill_null(0.0) for f in features])
    return out, features


def fit_scorecard(table: pl.DataFrame, features: list[str], regularisation: float = 1.0) -> Fit:
    """Logistic regression of the label on the features (scikit-learn), refitted without each
    feature whose coefficient is negative until none is. Rows are weighted by the table's `weight`
    column when it has one (several histories fitted together, each counting alike)."""
    from sklearn.linear_model import LogisticRegression  # heavy: imported when fitting only

    raised = {f: int((table[f] > 0).sum()) for f in features}
    active = [f for f in features if raised[f] >= MIN_RAISED]
    y = table["label"].cast(pl.Int8).to_numpy()
    weight = table[WEIGHT].to_numpy() if WEIGHT in table.columns else None
    intercept, coefs = 0.0, {}
    while True:
        model = LogisticRegression(C=regularisation, max_iter=1000)
        if active:
            model.fit(table.select(active).to_numpy(), y, sample_weight=weight)
            coefs = dict(zip(active, model.coef_[0]))
            intercept = float(model.intercept_[0])
        else:
            rate = float(y.mean())
            intercept, coefs = math.log(rate / (1 - rate)), {}
        negative = [f for f, c in coefs.items() if c < 0]
        if not negative:
            break
        active = [f for f in active if f not in negative]
    points = {f: round(float(coefs.get(f, 0.0)) * POINTS_PER_LOG_ODDS, 1) for f in features
              if raised[f] >= MIN_RAISED}
    kept = {f: f"raised {raised[f]} times in the fit dates (fewer than {MIN_RAISED})"
            for f in features if raised[f] < MIN_RAISED}
    return Fit(intercept, points, raised, kept)


def apply_fit(thresholds: Thresholds, fit: Fit) -> dict[str, Any]:
    """The thresholds data with the fitted points in place (banded flags: per band)."""
    data = json.loads(json.dumps(thresholds.raw, default=str))
    for ind in thresholds.indicators:
        if ind.domain not in LIKELIHOOD_DOMAINS:
            continue
        spec = data["indicators"][ind.name]
        if ind.bands:
            spec["band_points"] = _carried(ind.name, spec["band_points"], fit.points)
        elif ind.per_year:
            for part in ind.per_year:
                spec[PER_YEAR + part] = fit.points.get(f"{ind.name}[{part}]", spec[PER_YEAR + part])
        elif ind.name in fit.points:
            spec["points"] = fit.points[ind.name]
    return data


def _carried(name: str, old: list[float], fitted: dict[str, float]) -> list[float]:
    """A banded flag's points: each band fitted, or, too rarely raised to fit, the points of the
    nearest band below it that was (the history had too few ratings that old to say more); the
    bands below the first fitted one keep their points."""
    out, last = [], None
    for k, before in enumerate(old, start=1):
        last = fitted.get(f"{name}[{k}]", last)
        out.append(before if last is None else last)
    return out


def likelihoods(table: pl.DataFrame, features: list[str], fitted: Thresholds) -> pl.Series:
    """Each row's likelihood under `fitted`: the sum of its features' points, capped."""
    weights = {f: _points_of(fitted, f) for f in features}
    total = pl.sum_horizontal([pl.col(f).cast(pl.Float64) * weights[f] for f in features]) if features \
        else pl.lit(0.0)
    return table.select(pl.min_horizontal(total, pl.lit(fitted.cap)).round(2).alias("likelihood"))["likelihood"]


def _points_of(thresholds: Thresholds, feature: str) -> float:
    """A feature's points: per unit of its column (a graded flag's per year)."""
    name, _, band = feature.partition("[")
    ind = thresholds.indicator(name)
    if ind.per_year and band:
        return ind.per_year[band.rstrip("]")]
    if band:
        return float(ind.params["band_points"][int(band.rstrip("]")) - 1])
    return ind.points


def rag_bands(likelihood: pl.Series, floor: pl.Series, red_share: float,
              red_amber_share: float) -> tuple[float, float]:
    """The lowest likelihood points at which red (with the floor) is at most `red_share` of rows,
    and red or amber at most `red_amber_share` (amber never above red)."""
    frame = pl.DataFrame({"l": likelihood, "floor": floor})
    n = frame.height
    candidates = sorted(v for v in frame["l"].unique().to_list() if v > 0)

    def lowest(share: float) -> float:
        for v in candidates:
            if frame.filter((pl.col("l") >= v) | pl.col("floor")).height <= share * n:
                return float(v)
        return float(candidates[-1] + 1) if candidates else 1.0

    red = lowest(red_share)
    return min(lowest(red_amber_share), red), red


def default_split(dates: list[date]) -> date:
    return dates[int(len(dates) * SPLIT_SHARE)].replace(day=1)


@dataclass(frozen=True)
class FitData:
    """The fit rows of one history: the design table (features and label), the dates."""
    table: pl.DataFrame
    features: list[str]
    split: date
    fit_dates: list[date]
    report_dates: list[date]


def fit_data(db: Path, thresholds: Thresholds, options: CalibrateOptions,
             settings: Settings | None = None) -> FitData:
    """Replay the as-of dates whose horizon ends before the split date and tabulate their flags."""
    every = BacktestOptions(horizon_months=options.horizon_months, events=options.events)
    try:
        all_dates = backtest.replay_dates_of(db, every)
    except RiskError as exc:
        raise HistoryTooShort(f"{exc}; nothing was written") from None
    split = options.split_date or default_split(all_dates)
    fit_dates = [d for d in all_dates if backtest.add_months(d, options.horizon_months) < split]
    report_dates = [d for d in all_dates if d >= split]
    if not fit_dates or not report_dates:
        raise HistoryTooShort(
            f"the history replays as-of dates {all_dates[0]} to {all_dates[-1]}: with a split at {split} "
            f"and a {options.horizon_months}-month horizon there are {len(fit_dates)} dates to fit on and "
            f"{len(report_dates)} to report on (at least one of each needed); nothing was written")
    replayed = backtest.replay_history(db, thresholds, replace(every, start=fit_dates[0], end=fit_dates[-1]),
                                       settings)
    table, features = design(replayed.labels, replayed.flags, thresholds)
    events = int(table["label"].sum())
    if events < MIN_EVENTS:
        raise HistoryTooShort(
            f"{events} events of {', '.join(thresholds.event_types)} followed the {table.height} "
            f"location-dates of the fit dates {fit_dates[0]} to {fit_dates[-1]} (before the split at {split}); "
            f"at least {MIN_EVENTS} are needed to fit; nothing was written")
    return FitData(table, features, split, fit_dates, report_dates)


def fitted_thresholds(thresholds: Thresholds, data: FitData, options: CalibrateOptions) -> tuple[Thresholds, Fit]:
    """The scorecard fitted on `data` and the RAG bands set from it, as thresholds."""
    fit = fit_scorecard(data.table, data.features, options.regularisation)
    raw = apply_fit(thresholds, fit)
    pointed = parse_thresholds(raw, thresholds.source)
    amber, red = rag_bands(likelihoods(data.table, data.features, pointed), _floor(data.table, pointed),
                           options.red_share, options.red_amber_share)
    raw["rag"] = raw.get("rag", {}) | {"likelihood_bands": [amber, red], "matrix": LIKELIHOOD_ONLY,
                                       "red_max_share": options.red_share,
                                       "red_amber_max_share": options.red_amber_share}
    raw["calibration"] = {
        "fitted_at": datetime.now().isoformat(timespec="seconds"), "events": options.events,
        "event_types": list(thresholds.event_types), "horizon_months": options.horizon_months,
        "split_date": data.split.isoformat(),
        "fit_as_of": [data.fit_dates[0].isoformat(), data.fit_dates[-1].isoformat()],
        "fit_location_dates": data.table.height, "fit_events": int(data.table["label"].sum()),
        "intercept": round(fit.intercept, 4), "points_per_log_odds": POINTS_PER_LOG_ODDS,
    }
    return parse_thresholds(raw, thresholds.source), fit


def calibrate(db: Path, thresholds: Thresholds, options: CalibrateOptions,
              settings: Settings | None = None) -> tuple[Thresholds, dict[str, Any]]:
    """Fit the points on the dates before the split, report on the dates after it.
    Returns the fitted thresholds and the report (figures, reliability table)."""
    data = fit_data(db, thresholds, options, settings)
    fitted, fit = fitted_thresholds(thresholds, data, options)
    every = BacktestOptions(horizon_months=options.horizon_months, events=options.events)
    reported = backtest.replay_history(db, fitted, replace(every, start=data.report_dates[0]), settings)
    report = {
        **fitted.raw["calibration"],
        "report_as_of": [data.report_dates[0].isoformat(), data.report_dates[-1].isoformat()],
        "features": [{"feature": f, "raised": fit.raised[f], "points": _points_of(fitted, f),
                      "kept": fit.kept.get(f)} for f in data.features],
        "likelihood_bands": list(fitted.likelihood_bands),
        "after_split": figures(reported.labels, fit.intercept),
    }
    return fitted, report


def _floor(table: pl.DataFrame, thresholds: Thresholds) -> pl.Series:
    """Rows red by the Inadequate floor (overall_inadequate raised), in the order of `table`."""
    if "overall_inadequate" in thresholds.red_floors and "overall_inadequate" in table.columns:
        return table["overall_inadequate"] == 1
    return pl.Series([False] * table.height)


def figures(labels: pl.DataFrame, intercept: float) -> dict[str, Any]:
    """ROC AUC, the list figures and a reliability table: location-dates in ten bins of likelihood,
    each bin's mean predicted probability (logistic of intercept + points / POINTS_PER_LOG_ODDS)
    against its observed event rate."""
    frame = labels.with_columns(
        (1 / (1 + (-(pl.lit(intercept) + pl.col("likelihood") / POINTS_PER_LOG_ODDS)).exp())).alias("predicted"))
    binned = frame.with_columns(
        (pl.col("likelihood").rank("ordinal") * 10 / (pl.len() + 1)).floor().cast(pl.Int32).alias("bin"))
    table = binned.group_by("bin").agg(
        pl.len().alias("location_dates"), pl.col("likelihood").min().alias("points_from"),
        pl.col("likelihood").max().alias("points_to"), pl.col("predicted").mean().alias("predicted"),
        pl.col("label").mean().alias("observed")).sort("bin")
    return {"roc_auc": roc_auc(frame["likelihood"], frame["label"]), **backtest.list_figures(frame),
            "reliability": table.drop("bin").to_dicts()}


def thresholds_toml(fitted: Thresholds, report: dict[str, Any]) -> str:
    """The thresholds file `calibrate --out` writes: the calibration, the RAG bands and every
    likelihood indicator's points, with the figures as comments, for a person to review."""
    after = report["after_split"]
    lines = [
        "# Written by `market-oversight calibrate`: review, then load with --thresholds or [risk] thresholds.",
        f"# Fitted on as-of dates {report['fit_as_of'][0]} to {report['fit_as_of'][1]} "
        f"({report['fit_location_dates']} location-dates, {report['fit_events']} followed by an event within "
        f"{report['horizon_months']} months); reported on {report['report_as_of'][0]} to {report['report_as_of'][1]}:",
        f"#   ROC AUC {_f(after['roc_auc'])}, red {_pc(after['red_share'])} of location-dates with an event rate "
        f"{_f(after['red_precision_over_base'], 1)}x the base rate {_pc(after['base_rate'])}, red+amber "
        f"{_pc(after['red_amber_share'])} catching {_pc(after['red_amber_recall'])} of events.",
        "", "[calibration]",
        *(f"{k} = {json.dumps(v)}" for k, v in fitted.raw["calibration"].items()),
        "", "[rag]",
        f"likelihood_bands = {json.dumps(list(fitted.likelihood_bands))}",
        f"red_max_share = {fitted.raw['rag']['red_max_share']}",
        f"red_amber_max_share = {fitted.raw['rag']['red_amber_max_share']}",
        f"matrix = {json.dumps(fitted.raw['rag']['matrix'])}",
        "", "[backtest]", f"event_types = {json.dumps(list(fitted.event_types))}",
    ]
    raised = {f["feature"]: f for f in report["features"]}
    for ind in fitted.indicators:
        if ind.domain not in LIKELIHOOD_DOMAINS:
            continue
        lines += ["", f"[indicators.{ind.name}]"]
        if ind.bands:
            notes = [f"{k}: raised {raised[f'{ind.name}[{k}]']['raised']}" if f"{ind.name}[{k}]" in raised
                     else f"{k}: not raised" for k in range(1, len(ind.bands) + 1)]
            notes.append(f"a band raised fewer than {MIN_RAISED} times takes the points of the band below")
            lines += [f"band_points = {json.dumps(ind.params['band_points'])}  # bands {'; '.join(notes)}"]
        elif ind.per_year:
            for part, rate in ind.per_year.items():
                note = raised.get(f"{ind.name}[{part}]")
                why = "not raised in the fit dates: kept" if note is None else (
                    f"kept: {note['kept']}" if note["kept"] else f"raised {note['raised']} times in the fit dates")
                lines += [f"{PER_YEAR}{part} = {rate}  # points a year; {why}"]
        else:
            note = raised.get(ind.name)
            why = "not raised in the fit dates: kept" if note is None else (
                f"kept: {note['kept']}" if note["kept"] else f"raised {note['raised']} times in the fit dates")
            lines += [f"points = {ind.points}  # {why}"]
    return "\n".join(lines) + "\n"


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _pc(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"
