"""`market-oversight ingest …`: load CQC data, provider returns, fee rates and benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from market_oversight.paths import resolve_db


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ingest = sub.add_parser("ingest", help="load a source into the warehouse")
    kinds = ingest.add_subparsers(dest="dataset", required=True, metavar="DATASET")

    cqc = kinds.add_parser(
        "cqc", parents=[common],
        help="CQC register and ratings: API base URL, saved API folder, or bulk file",
        epilog="Example: market-oversight ingest cqc https://api.service.cqc.org.uk/public/v1 "
               "--local-authority Oldham",
    )
    cqc.add_argument("source", help="API base URL, folder of saved API responses, or CSV/XLSX/ODS file")
    cqc.add_argument("--local-authority", help="API only: fetch locations in this local authority")
    cqc.add_argument("--api-key", help="API only: subscription key (default: $CQC_API_KEY)")
    cqc.add_argument("--json", action="store_true", help="print one JSON object with the batch result")
    cqc.add_argument("--config", metavar="PATH", help="council configuration file (else $MARKET_OVERSIGHT_CONFIG)")
    _add_wait(cqc)
    cqc.set_defaults(func=_run_cqc)

    for name, what in (("returns", "monthly provider returns (care home or home care)"),
                       ("fees", "commissioned fee rates"),
                       ("benchmarks", "benchmark rates")):
        p = kinds.add_parser(name, parents=[common], help=what,
                             epilog=f"Example: market-oversight ingest {name} {name}_2026-10.csv --json")
        p.add_argument("file", help="CSV or XLSX file")
        p.add_argument("--json", action="store_true", help="print one JSON object with the batch result")
        _add_wait(p)
        p.add_argument("--config", metavar="PATH", help="council configuration file (else $MARKET_OVERSIGHT_CONFIG)")
        p.add_argument("--judge", choices=("gx", "sql", "auto"),
                       help="who judges the data contract: gx (Great Expectations), sql (the SQL check "
                            "alone), auto (GX up to [contracts] gx_max_rows rows; the default)")
        p.set_defaults(func=_run_file, kind=name)

    quarantine = sub.add_parser("quarantine", help="rows set aside at load, to send back for correction")
    acts = quarantine.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = acts.add_parser(
        "export", parents=[common], help="write one provider's quarantined rows to a CSV or XLSX file",
        description="Every quarantined row of the provider's locations, as read, with the file, row "
                    "number, rules broken and a plain message for each: ready to send back.",
        epilog="Example: market-oversight quarantine export --provider 1-101641521 --out corrections.xlsx",
    )
    export.add_argument("--provider", required=True, metavar="ID", help="CQC provider ID")
    export.add_argument("--out", required=True, metavar="FILE", help="CSV or XLSX file to write")
    export.set_defaults(func=_run_quarantine_export)


def _add_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="while another job holds the warehouse, wait up to SECONDS for it "
                             "(loads then queue) instead of stopping at once")


def _print(result, as_json: bool) -> int:
    print(result.to_json() if as_json else result.summary())
    return 1 if result.status == "rejected" else 0


def _run_cqc(args: argparse.Namespace) -> int:
    from market_oversight.config import load_settings
    from market_oversight.ingest.cqc import ingest_cqc
    from market_oversight.ingest.limits import InputLimits

    result = ingest_cqc(resolve_db(args.db), args.source, local_authority=args.local_authority,
                        api_key=args.api_key, progress=not args.json,
                        limits=InputLimits.from_settings(load_settings(args.config)))
    return _print(result, args.json)


def _run_file(args: argparse.Namespace) -> int:
    from market_oversight.config import load_settings
    from market_oversight.ingest.tabular import IngestOptions, ingest_file

    options = IngestOptions.from_settings(load_settings(args.config), judge=args.judge)
    result = ingest_file(resolve_db(args.db), args.kind, args.file, options=options)
    return _print(result, args.json)


def _run_quarantine_export(args: argparse.Namespace) -> int:
    from market_oversight.ingest.quarantine import export_provider

    rows = export_provider(resolve_db(args.db), args.provider, Path(args.out))
    print(f"{rows} quarantined rows of provider {args.provider} written to {args.out}")
    return 0
