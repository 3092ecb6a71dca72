"""`market-oversight audit verify|recent`: check the casework audit log's hash chain, list its newest
rows. For the QA team or an auditor; the app has no way to edit the log."""

from __future__ import annotations

import argparse
import json

from market_oversight import audit
from market_oversight.paths import resolve_db


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("audit", help="check or list the casework audit log",
                           description="The casework audit log: who did what, hash-chained row to row.")
    actions = group.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", parents=[common], help="recompute the hash chain; exit 1 at the first break",
        description="Recompute every row's hash and its link to the row before. A row changed, deleted "
                    "or added outside the app breaks the chain; the first break is named.",
        epilog="Example: market-oversight audit verify --db var/warehouse.duckdb")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(func=_run_verify)
    recent = actions.add_parser("recent", parents=[common], help="the newest rows, newest first",
                                epilog="Example: market-oversight audit recent --limit 20")
    recent.add_argument("--limit", type=int, default=50, metavar="N", help="rows to show (default 50)")
    recent.set_defaults(func=_run_recent)


def _run_verify(args: argparse.Namespace) -> int:
    report = audit.verify_chain(resolve_db(args.db))
    if args.json:
        print(json.dumps({"intact": report.intact, "rows": report.rows, "first_bad_seq": report.first_bad_seq,
                          "unchained": report.unchained, "problem": report.problem}))
    elif report.intact:
        print(f"audit log intact: {report.rows} rows, each chained to the one before")
    else:
        print(f"audit log BROKEN: {report.problem}")
    return 0 if report.intact else 1


def _run_recent(args: argparse.Namespace) -> int:
    for seq, logged_at, actor, action, target, detail in audit.recent(resolve_db(args.db), args.limit):
        print(f"{seq or '-':>6}  {logged_at:%Y-%m-%d %H:%M:%S}  {actor}  {action}"
              + (f"  {target}" if target else "") + (f"  {detail}" if detail else ""))
    return 0
