"""`market-oversight score`, `backtest`, `calibrate` and `risk …` (overrides, company signals)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from market_oversight.errors import RiskError
from market_oversight.paths import resolve_db

if TYPE_CHECKING:
    from market_oversight.config import Settings


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _scores_file(text: str) -> Path:
    """--scores-out: refused at once, naming the flag and the file, unless .parquet or .csv."""
    from market_oversight.risk.backtest import SCORES_FORMATS

    path = Path(text)
    if path.suffix.lower() not in SCORES_FORMATS:
        raise argparse.ArgumentTypeError(
            f"{text!r} must end in {' or '.join(SCORES_FORMATS)} (the suffix chooses the format)")
    return path


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("--config", metavar="PATH", help="council configuration file (else $MARKET_OVERSIGHT_CONFIG)")
    config.add_argument("--thresholds", metavar="PATH",
                        help="council thresholds file over risk/thresholds.toml (else [risk] thresholds in the config)")
    config.add_argument("--json", action="store_true", help="print JSON")

    score = sub.add_parser(
        "score", parents=[common, config], help="score every location as at a date and store it",
        description="Score every registered care home and home-care service. Without dates, scores "
                    "the latest data date (the newest return, report or register snapshot, not after "
                    "today). Re-scoring a date replaces it. All or nothing: the dates of --from/--to "
                    "are stored together once every one is scored, so a run that fails or is "
                    "stopped part-way stores nothing (run it again).",
        epilog="Example: market-oversight score --as-of 2026-10-15 ; "
               "market-oversight score --from 2025-01-15 --to 2026-10-15",
    )
    score.add_argument("--as-of", type=_date, metavar="DATE", help="the date to score as at")
    score.add_argument("--from", dest="start", type=_date, metavar="DATE", help="rebuild monthly from this date")
    score.add_argument("--to", dest="end", type=_date, metavar="DATE", help="… to this date (default: latest data date)")
    score.add_argument("--no-snapshot", action="store_true",
                       help="do not publish the analysts' snapshot afterwards (default: publish it)")
    score.set_defaults(func=_run_score)

    bt = sub.add_parser(
        "backtest", parents=[common, config], help="replay monthly scores over history against later events",
        description="Replay the risk score monthly over the warehouse's history (in memory: no score is "
                    "stored) and measure how often red and amber came before an event within the horizon. "
                    "--scores-out writes every location-date replayed, for checking against a baseline of "
                    "your own; --save stores the figures for the app's \"How reliable are these flags?\" page.",
        epilog="Example: market-oversight backtest --horizon-months 6 --events demo_truth --json ; "
               "market-oversight backtest --save --scores-out backtest_scores.parquet",
    )
    bt.add_argument("--horizon-months", type=int, default=6, metavar="N", help="months ahead an event counts (default 6)")
    bt.add_argument("--events", choices=("observed", "demo_truth"), default="observed",
                    help="observed (in the warehouse) or demo_truth (the demo's hidden events)")
    bt.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first as-of date replayed")
    bt.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last as-of date replayed")
    bt.add_argument("--scores-out", type=_scores_file, metavar="FILE",
                    help="write every location-date replayed (likelihood, impact, RAG, flags, label, first "
                         "event) to FILE: Parquet if it ends in .parquet, CSV if .csv")
    bt.add_argument("--save", action="store_true",
                    help="store the figures in the warehouse for the app's reliability page")
    bt.set_defaults(func=_run_backtest)

    cal = sub.add_parser(
        "calibrate", parents=[common, config],
        help="fit the likelihood points and RAG bands on this warehouse's history; write a thresholds file",
        description="Replays the warehouse's history monthly, fits a logistic-regression scorecard "
                    "over the likelihood flags on the as-of dates whose horizon ends before the split "
                    "date, sets the RAG bands so that red is at most 8%% and red or amber at most 20%% of "
                    "those location-dates, and reports the fit on the dates on or after the split. "
                    "Writes a thresholds file for a person to review and load with --thresholds.",
        epilog="Example: market-oversight calibrate --horizon-months 12 --split-date 2018-03-01 "
               "--out thresholds_fitted.toml",
    )
    cal.add_argument("--horizon-months", type=int, default=12, metavar="N",
                     help="months ahead an event counts (default 12)")
    cal.add_argument("--events", choices=("observed", "demo_truth"), default="observed",
                     help="observed (in the warehouse) or demo_truth (the demo's hidden events)")
    cal.add_argument("--split-date", type=_date, metavar="DATE",
                     help="fit before it, report after it (default: 60%% of the way through the history)")
    cal.add_argument("--out", required=True, type=Path, metavar="FILE.toml", help="thresholds file to write")
    cal.set_defaults(func=_run_calibrate)

    risk = sub.add_parser("risk", help="RAG overrides and company-filing signals")
    acts = risk.add_subparsers(dest="action", required=True, metavar="ACTION")
    ov = acts.add_parser("override", parents=[common], help="override a location's RAG until a date",
                         epilog="Example: market-oversight risk override 1-1015412687 --rag amber "
                                "--reason 'new manager in post' --expires 2026-12-31 --by ann")
    ov.add_argument("location_id")
    ov.add_argument("--rag", required=True, choices=("red", "amber", "green"))
    ov.add_argument("--reason", required=True)
    ov.add_argument("--expires", required=True, type=_date, metavar="DATE")
    ov.add_argument("--by", required=True, help="who is making the judgement")
    ov.set_defaults(func=_run_override)
    wd = acts.add_parser("withdraw", parents=[common], help="withdraw a RAG override",
                         epilog="Example: market-oversight risk withdraw 7c9e… --by ann")
    wd.add_argument("override_id")
    wd.add_argument("--by", required=True)
    wd.set_defaults(func=_run_withdraw)
    ls = acts.add_parser("overrides", parents=[common], help="list RAG overrides (newest first)",
                         epilog="Example: market-oversight risk overrides 1-1015412687")
    ls.add_argument("location_id", nargs="?")
    ls.set_defaults(func=_run_list)
    sg = acts.add_parser("signals", parents=[common], help="load company-filing signals from a CSV file",
                         epilog="Example: market-oversight risk signals companies_house_2026-10.csv")
    sg.add_argument("file", type=Path)
    sg.set_defaults(func=_run_signals)


def _thresholds(args: argparse.Namespace):
    from market_oversight.config import load_settings
    from market_oversight.risk.thresholds import load_thresholds

    settings = load_settings(args.config)
    return settings, load_thresholds(args.thresholds, settings)


def _run_score(args: argparse.Namespace) -> int:
    from market_oversight import store
    from market_oversight.risk import engine

    settings, thresholds = _thresholds(args)
    db = resolve_db(args.db)
    if args.start and args.as_of:
        raise RiskError("give --as-of or --from/--to, not both")
    dates = None
    if args.start:
        end = args.end
        if end is None:
            with store.warehouse(db, publish=False) as con:
                end = engine.latest_data_date(con)
        dates = engine.month_steps(args.start, end)
        if not dates:
            raise RiskError(f"--from {args.start} is after --to {end}")
    elif args.as_of:
        dates = [args.as_of]
    several = dates is not None and len(dates) > 1
    if several:
        print(f"scoring {len(dates)} dates; they are stored together once the last is scored",
              file=sys.stderr, flush=True)
    runs = engine.score(db, thresholds, dates, settings, progress=_progress if several else None)
    snapshot = None if args.no_snapshot else publish_analyst_snapshot(db, settings)
    for r in runs:
        for warning in r.warnings:
            print(f"warning: {r.as_of}: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps([r.to_dict() for r in runs]))
    else:
        for r in runs:
            print(f"{r.as_of}: {r.locations} locations scored, {r.red} red, {r.amber} amber, "
                  f"{r.green} green, {r.flags} flags (thresholds {r.thresholds_hash[:12]})")
        if snapshot is not None:
            print(f"analysts' snapshot: {snapshot}")
    return 0


def _progress(done: int, of: int, as_of: date) -> None:
    """Each date as it is scored, on stderr: a long rebuild shows it is moving."""
    print(f"scored {as_of} ({done} of {of})", file=sys.stderr, flush=True)


def publish_analyst_snapshot(db: Path, settings: Settings) -> Path:
    """After scoring, publish the analysts' read-only snapshot so that notebooks see the new scores."""
    from market_oversight.analyst.snapshot import publish_snapshot

    return publish_snapshot(db, settings=settings)


def _run_backtest(args: argparse.Namespace) -> int:
    from market_oversight.risk.backtest import BacktestOptions, run_backtest

    settings, thresholds = _thresholds(args)
    result = run_backtest(resolve_db(args.db), thresholds,
                          BacktestOptions(args.horizon_months, args.events, args.start, args.end), settings,
                          scores_out=args.scores_out, save=args.save)
    if args.json:
        print(json.dumps(result, default=str))
        return 0
    auc = result["roc_auc"]
    print(f"Backtest {result['first_as_of']} to {result['last_as_of']} ({result['as_of_dates']} monthly dates), "
          f"events: {result['events_source']}, horizon {result['horizon_months']} months")
    print(f"  location-dates {result['location_dates']}, with an event within the horizon {result['positives']}")
    print(f"  ROC AUC {auc:.3f}" if auc is not None else "  ROC AUC: not defined (no events or no non-events)")
    if result["precision_top"] is not None:
        print(f"  precision in the top {result['top_share']:.0%}: {result['precision_top']:.3f}")
    for rag, part in result["by_rag"].items():
        if part["location_dates"]:
            print(f"  {rag:<5} {part['location_dates']:>7} location-dates ({part['share']:.0%}), "
                  f"an event within the horizon for {part['event_rate']:.1%}")
    print(f"  events warned (red/amber beforehand): {result['events_warned']} of {result['events_replayed']}, "
          f"median lead {result['median_lead_months']} months")
    for ind in result["indicators"]:
        drop = ind["roc_auc_drop"]
        print(f"  {ind['flag']:<30} raised {ind['raised']:>7}  precision "
              f"{'-' if ind['precision'] is None else format(ind['precision'], '.3f')}  AUC drop without it "
              f"{'-' if drop is None else format(drop, '+.3f')}")
    if "scores_out" in result:
        print(f"{result['scores_out']['rows']} location-dates written to {result['scores_out']['path']}")
    if "saved_as" in result:
        print(f"stored for the app's reliability page (backtest {result['saved_as'][:12]})")
    return 0


def _run_calibrate(args: argparse.Namespace) -> int:
    from market_oversight.risk.calibrate import CalibrateOptions, calibrate, thresholds_toml

    settings, thresholds = _thresholds(args)
    fitted, report = calibrate(resolve_db(args.db), thresholds,
                               CalibrateOptions(args.horizon_months, args.events, args.split_date), settings)
    from market_oversight import store

    store.write_whole(args.out, thresholds_toml(fitted, report).encode("utf-8"), "no thresholds file was written")
    if args.json:
        print(json.dumps(report, default=str))
        return 0
    after = report["after_split"]
    print(f"Fitted on {report['fit_as_of'][0]} to {report['fit_as_of'][1]} ({report['fit_location_dates']} "
          f"location-dates, {report['fit_events']} events), split {report['split_date']}; "
          f"reported on {report['report_as_of'][0]} to {report['report_as_of'][1]}:")
    auc = after["roc_auc"]
    print(f"  ROC AUC {'-' if auc is None else format(auc, '.3f')}; red {after['red_share']:.1%} "
          f"(event rate {'-' if after['red_precision'] is None else format(after['red_precision'], '.1%')}, "
          f"base rate {after['base_rate']:.1%}); red+amber {after['red_amber_share']:.1%} catching "
          f"{'-' if after['red_amber_recall'] is None else format(after['red_amber_recall'], '.0%')} of events")
    print("  reliability (points, predicted, observed):")
    for row in after["reliability"]:
        print(f"    {row['points_from']:>6.1f} to {row['points_to']:>6.1f}  {row['predicted']:.3f}  "
              f"{row['observed']:.3f}  ({row['location_dates']} location-dates)")
    print(f"thresholds written to {args.out} (likelihood bands {report['likelihood_bands']})")
    return 0


def _run_override(args: argparse.Namespace) -> int:
    from market_oversight.risk.overrides import override_rag

    oid = override_rag(resolve_db(args.db), args.location_id, args.rag, args.reason, args.expires, args.by)
    print(oid)
    return 0


def _run_withdraw(args: argparse.Namespace) -> int:
    from market_oversight.risk.overrides import withdraw_override

    withdraw_override(resolve_db(args.db), args.override_id, args.by)
    return 0


def _run_list(args: argparse.Namespace) -> int:
    from market_oversight.risk.overrides import overrides

    for o in overrides(resolve_db(args.db), args.location_id):
        state = f"withdrawn by {o.withdrawn_by} {o.withdrawn_at:%Y-%m-%d}" if o.withdrawn_at else f"until {o.expires_on}"
        print(f"{o.override_id}  {o.location_id}  {o.rag:<5}  {state}  by {o.created_by} "
              f"{o.created_at:%Y-%m-%d %H:%M}: {o.reason}")
    return 0


def _run_signals(args: argparse.Namespace) -> int:
    from market_oversight.risk.signals import load_company_signals

    n = load_company_signals(resolve_db(args.db), args.file)
    print(f"{n} company-filing signals loaded from {args.file}")
    return 0
