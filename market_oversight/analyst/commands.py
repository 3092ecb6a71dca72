"""`market-oversight docs` (the data dictionary) and `market-oversight snapshot` (analysts' copy)."""

from __future__ import annotations

import argparse
from pathlib import Path

from market_oversight.paths import resolve_db


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    docs = sub.add_parser(
        "docs", help="generate docs/data_dictionary.md from sql/marts/ (or --check it)",
        description="Build every mart view in a fresh, empty warehouse, check its columns against the "
                    "YAML beside its SQL file, and write the data dictionary: grain, description, and "
                    "each column with its DuckDB type and description.",
        epilog="Example: market-oversight docs --check",
    )
    docs.add_argument("--check", action="store_true",
                      help="write nothing; fail if a mart and its YAML disagree or the file is stale")
    docs.add_argument("--output", type=Path, metavar="PATH",
                      help="where to write the dictionary (default docs/data_dictionary.md in the checkout)")
    docs.set_defaults(func=_run_docs)

    snap = sub.add_parser(
        "snapshot", parents=[common], help="publish a dated read-only copy of the warehouse for analysts",
        description="Copy the committed warehouse to <warehouse>.snapshots/market-YYYYMMDDTHHMMSSZ.duckdb "
                    "(read-only), point latest.duckdb beside it at the copy, and delete all but the newest "
                    "--keep copies. Analysts open latest.duckdb read-only; loads never wait for them.",
        epilog="Example: market-oversight snapshot --db var/warehouse.duckdb --keep 7",
    )
    snap.add_argument("--keep", type=int, metavar="N",
                      help="dated copies to keep (default: [analyst] snapshot_keep in the configuration, 7)")
    snap.add_argument("--config", metavar="PATH", help="council configuration file (else $MARKET_OVERSIGHT_CONFIG)")
    snap.set_defaults(func=_run_snapshot)


def _run_docs(args: argparse.Namespace) -> int:
    from market_oversight.analyst.dictionary import check_dictionary, dictionary_path, write_dictionary

    path = args.output or dictionary_path()
    if args.check:
        check_dictionary(path)
        print(f"{path} is up to date with sql/marts/")
    else:
        print(f"wrote {write_dictionary(path)}")
    return 0


def _run_snapshot(args: argparse.Namespace) -> int:
    from market_oversight.analyst.snapshot import LATEST, publish_snapshot
    from market_oversight.config import load_settings

    path = publish_snapshot(resolve_db(args.db), keep=args.keep, settings=load_settings(args.config))
    print(f"published {path}")
    print(f"latest:   {path.with_name(LATEST)}")
    return 0
