"""`market-oversight alerts`: the weekly e-mail of what changed in the market."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from market_oversight.paths import resolve_db


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "alerts", parents=[common], help="e-mail the week's changes to the quality assurance team (once)",
        description="Work out what changed in an ISO week (CQC reports, red/amber and new flags, missing "
                    "returns, registrations and closures, placement suspensions, overdue actions) and "
                    "e-mail it to the recipients in [alerts]. Each recipient gets each week once: "
                    "re-running sends only what was not accepted before, so it is safe to run daily.",
        epilog="Example: market-oversight alerts --week 2026-W43 --dry-run --outbox var/outbox",
    )
    p.add_argument("--week", metavar="YYYY-Www", help="ISO week (default: the last complete week)")
    p.add_argument("--config", metavar="PATH", help="council configuration file (else $MARKET_OVERSIGHT_CONFIG)")
    p.add_argument("--dry-run", action="store_true",
                   help="write .eml files (and HTML previews) to --outbox instead of sending; logs nothing")
    p.add_argument("--outbox", type=Path, metavar="DIR", help="folder for --dry-run")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from market_oversight.alerts.changes import IsoWeek
    from market_oversight.alerts.config import alert_settings
    from market_oversight.alerts.send import require_delivered
    from market_oversight.alerts.weekly import default_week, run_week
    from market_oversight.config import load_settings
    from market_oversight.errors import AlertError

    if args.dry_run != (args.outbox is not None):
        raise AlertError("--dry-run and --outbox DIR go together")
    week = IsoWeek.parse(args.week) if args.week else default_week()
    settings = alert_settings(load_settings(args.config))
    changes, outcome = run_week(resolve_db(args.db), week, settings, outbox=args.outbox)
    if args.json:
        print(json.dumps(outcome.to_dict() | {"items": len(changes.items)}))
    else:
        print(f"{week}: {len(changes.items)} changes")
        for label, names in (("sent to", outcome.sent), ("already sent to", outcome.already_sent),
                             ("no changes, not sent to", outcome.skipped_all_clear)):
            if names:
                print(f"  {label}: {', '.join(names)}")
        for path in outcome.written:
            print(f"  wrote {path}")
        for recipient, reason in outcome.failed.items():
            print(f"  NOT delivered to {recipient}: {reason}", file=sys.stderr)
    require_delivered(outcome)
    return 0
