"""`market-oversight docs` (the data dictionary), `mart-tests` (the marts' data tests),
`market-oversight snapshot` (analysts' copy), `sql` (a prompt on it) and `report` (a notebook as
one HTML file)."""

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

    marts = sub.add_parser(
        "mart-tests", parents=[common], help="run the marts' data tests on a warehouse",
        description="Run the data tests each mart's YAML declares (its key unique, columns never "
                    "empty, values from their vocabulary, references that name a row) on the "
                    "warehouse, and list every failure with a few of the offending rows.",
        epilog="Example: market-oversight mart-tests --db var/warehouse.duckdb",
    )
    marts.set_defaults(func=_run_mart_tests)

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

    sql = sub.add_parser(
        "sql", help="an SQL prompt on the analysts' snapshot (read-only)",
        description="Open the analysts' snapshot read-only in an SQL prompt: statements end with ';', "
                    "results print as tables, .mart lists the documented views and .describe NAME "
                    "their columns; a history is kept in ~/.market_oversight_sql_history. Lines piped "
                    "in are run in turn; a write is refused. Exit status 1 when a statement failed.",
        epilog="Example: market-oversight sql -c \"select service_kind, count(*) from mart.locations group by all;\"",
    )
    sql.add_argument("--snapshot", metavar="PATH",
                     help="the snapshot to open (default $MARKET_OVERSIGHT_SNAPSHOT, else the latest "
                          "snapshot of $MARKET_OVERSIGHT_DB or var/warehouse.duckdb)")
    sql.add_argument("-c", "--command", metavar="SQL", help="run these statements and leave")
    sql.set_defaults(func=_run_sql)

    report = sub.add_parser(
        "report", help="run a notebook on the analysts' snapshot and write it as one HTML file",
        description="Run an analyst's notebook headless on the snapshot and write its text, tables and "
                    "charts as one self-contained HTML file (styles inline, charts as SVG, no scripts): it "
                    "opens in any browser without a network. NOTEBOOK is a file or a name in notebooks/ "
                    "(starter, market_overview, fee_analysis, ratings_and_risk, market_report). Needs marimo.",
        epilog="Example: market-oversight report market_report -o market_report.html",
    )
    report.add_argument("notebook", metavar="NOTEBOOK", help="a notebook file, or its name in notebooks/")
    report.add_argument("--snapshot", metavar="PATH",
                        help="the snapshot to run on (default $MARKET_OVERSIGHT_SNAPSHOT, else the latest "
                             "snapshot of $MARKET_OVERSIGHT_DB or var/warehouse.duckdb)")
    report.add_argument("-o", "--output", type=Path, metavar="FILE.html", required=True,
                        help="the HTML file to write")
    report.set_defaults(func=_run_report)


def _run_docs(args: argparse.Namespace) -> int:
    from market_oversight.analyst.dictionary import check_dictionary, dictionary_path, write_dictionary

    path = args.output or dictionary_path()
    if args.check:
        check_dictionary(path)
        print(f"{path} is up to date with sql/marts/")
    else:
        print(f"wrote {write_dictionary(path)}")
    return 0


def _run_mart_tests(args: argparse.Namespace) -> int:
    from market_oversight import store
    from market_oversight.analyst.mart_tests import all_tests, run_tests

    tests = all_tests()
    with store.warehouse(resolve_db(args.db), read_only=True) as con:
        failures = run_tests(con, tests)
    for failure in failures:
        print(f"FAILED {failure}")
    print(f"{len(tests) - len(failures)} of {len(tests)} mart tests passed")
    return 1 if failures else 0


def _run_snapshot(args: argparse.Namespace) -> int:
    from market_oversight.analyst.snapshot import LATEST, publish_snapshot
    from market_oversight.config import load_settings

    path = publish_snapshot(resolve_db(args.db), keep=args.keep, settings=load_settings(args.config))
    print(f"published {path}")
    print(f"latest:   {path.with_name(LATEST)}")
    return 0


def _run_sql(args: argparse.Namespace) -> int:
    import sys

    from market_oversight.analyst import shell
    from market_oversight.analyst.snapshot import open_snapshot, snapshot_path

    path = snapshot_path(args.snapshot)
    with open_snapshot(path) as con:
        failed = shell.run(con, path, command=args.command, lines=sys.stdin)
    return 1 if failed else 0


def _run_report(args: argparse.Namespace) -> int:
    from market_oversight.analyst.report import write_report

    print(f"wrote {write_report(args.notebook, args.output, args.snapshot)}")
    return 0
