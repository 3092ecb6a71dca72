"""`market-oversight rehearse`: what if this home, agency, provider or brand stopped tomorrow?"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import polars as pl

from market_oversight import store
from market_oversight.paths import resolve_db
from market_oversight.queries import serving
from market_oversight.rehearsal import pack
from market_oversight.rehearsal.plan import DEFAULT_WITHIN_KM, Rehearsal, rehearse

_SHOWN_ROWS = 15


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "rehearse", parents=[common], help="rehearse the failure of a location, provider or brand",
        description="Who is affected if a care home, home-care agency, provider or brand stopped "
                    "tomorrow (people by funder and kind of care, from the latest returns), where they "
                    "could go (vacant beds of the same kind of care accepting admissions, and spare "
                    "home-care hours, within the distance, red services excluded), the shortfall, and "
                    "who to tell. Reads the warehouse with the casework as it is now.",
        epilog="Example: market-oversight rehearse --brand BD01 --within-km 15 --pack pack.xlsx")
    which = cmd.add_mutually_exclusive_group(required=True)
    which.add_argument("--location", metavar="ID", help="a CQC location ID")
    which.add_argument("--provider", metavar="ID", help="a CQC provider ID: every location it runs")
    which.add_argument("--brand", metavar="ID", help="a CQC brand ID: every location of every provider in it")
    cmd.add_argument("--within-km", type=float, default=DEFAULT_WITHIN_KM, metavar="N",
                     help=f"how far people could move, as the crow flies (default {DEFAULT_WITHIN_KM:g})")
    cmd.add_argument("--json", action="store_true", help="print the whole rehearsal as JSON")
    cmd.add_argument("--pack", type=Path, metavar="PATH", help="also write the contingency pack (XLSX) here")
    cmd.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    scope = next(s for s in ("location", "provider", "brand") if getattr(args, s))
    db = resolve_db(args.db)
    live = serving.live_casework(db)
    with store.warehouse(db, read_only=True) as con:
        result = rehearse(serving.with_live_casework(con.cursor(), live), scope, getattr(args, scope),
                          args.within_km)
    if args.pack:
        args.pack.write_bytes(pack.to_xlsx(result, date.today()))
    if args.json:
        print(json.dumps(result.to_dict(), default=str, indent=1))
    else:
        print(_words(result))
        if args.pack:
            print(f"\nContingency pack written to {args.pack}")
    return 0


def _words(r: Rehearsal) -> str:
    lines = [pack.title(r), pack.as_of_line(r, date.today()), "", *pack.summary_lines(r)]
    with pl.Config(tbl_rows=_SHOWN_ROWS, tbl_cols=-1, tbl_width_chars=160, fmt_str_lengths=40,
                   tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        for name, table in pack.tables(r).items():
            more = table.height - _SHOWN_ROWS
            lines += ["", f"{name}:", str(table.head(_SHOWN_ROWS)) if table.height else "  (none)"]
            if more > 0:
                lines.append(f"  … and {more:,} more (--json or --pack for all)")
    lines += ["", "Notes:", *(f"- {n}" for n in r.notes)]
    return "\n".join(lines)
