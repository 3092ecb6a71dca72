"""The `market-oversight` command: a thin layer over the package.

Each command group lives beside the code it drives, in a `commands` module exposing
`add_commands(subparsers, common)`; this module only gathers them and turns our named errors
into a one-line message and a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from market_oversight import audit_commands
from market_oversight.alerts import commands as alerts_commands
from market_oversight.analyst import commands as analyst_commands
from market_oversight.demo import commands as demo_commands
from market_oversight.errors import MarketOversightError
from market_oversight.ingest import commands as ingest_commands
from market_oversight.rehearsal import commands as rehearsal_commands
from market_oversight.risk import commands as risk_commands

# In the order `--help` lists them.
COMMAND_MODULES = (ingest_commands, demo_commands, risk_commands, alerts_commands, analyst_commands,
                   rehearsal_commands, audit_commands)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH",
        help="warehouse file (default: $MARKET_OVERSIGHT_DB, else var/warehouse.duckdb in the checkout)",
    )
    parser = argparse.ArgumentParser(
        prog="market-oversight",
        description="Care Market Oversight: early warning of care-provider failure.",
        epilog="Example: market-oversight demo && market-oversight score",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_commands(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MarketOversightError as exc:
        print(f"market-oversight: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("market-oversight: interrupted; nothing was committed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
