"""The `market-oversight` command: a thin layer over the package.

Each command group lives beside the code it drives, in a `commands` module exposing
`add_commands(subparsers, common)`; this module only gathers them and turns our named errors
into a one-line message and a non-zero exit. Run as a program (`run`), a command is a job: it takes
the [jobs] share of the machine (docs/design.md), leaving room for the app's users.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from market_oversight import audit_commands, store
from market_oversight.alerts import commands as alerts_commands
from market_oversight.analyst import commands as analyst_commands
from market_oversight.config import Settings, load_settings
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


def job_limits(settings: Settings, wait_seconds: float = 0.0) -> store.JobLimits:
    """The [jobs] section as the store applies it."""
    jobs = settings.jobs
    return store.JobLimits(threads=jobs.threads, memory_megabytes=jobs.memory_limit_megabytes,
                           temp_directory=Path(jobs.temp_directory).expanduser() if jobs.temp_directory else None,
                           niceness=jobs.niceness, wait_seconds=wait_seconds, on_queue=_say_queued)


def _say_queued(waiting: bool) -> None:
    print(store.WAITING_LINE if waiting else store.TURN_LINE, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None, *, as_job: bool = False) -> int:
    """Run one command; `as_job` first makes this process a job (`store.run_as_job`), which only a
    process of its own should be: its priority cannot be raised back."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if as_job:
            settings = load_settings(getattr(args, "config", None))
            store.run_as_job(job_limits(settings, getattr(args, "wait", None) or 0.0))
        return int(args.func(args) or 0)
    except MarketOversightError as exc:
        print(f"market-oversight: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("market-oversight: interrupted; nothing was committed", file=sys.stderr)
        return 130


def run() -> None:
    """The `market-oversight` program (and `python -m market_oversight`): every command a job."""
    sys.exit(main(as_job=True))


if __name__ == "__main__":
    run()
