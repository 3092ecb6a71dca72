"""Optional company-filing signals (accounts overdue, insolvency notices) from a CSV file."""

from __future__ import annotations

from pathlib import Path

import duckdb

from market_oversight import store
from market_oversight.errors import SourceError

REQUIRED = ("signal", "signal_date")
ONE_OF = ("provider_id", "companies_house_number")
OPTIONAL = ("provider_id", "companies_house_number", "detail")


def load_company_signals(db: Path, file: Path) -> int:
    """Append the file's signals to company_signals; returns the number of rows loaded.
    Columns: signal, signal_date (YYYY-MM-DD) and provider_id or companies_house_number; detail optional."""
    if not file.is_file():
        raise SourceError("file not found", source=str(file))
    with store.warehouse(db) as con:
        try:
            columns = {r[0] for r in con.execute(
                "describe select * from read_csv($path, header = true, all_varchar = true)",
                {"path": str(file)}).fetchall()}
        except duckdb.Error as exc:
            raise SourceError(f"cannot read as CSV: {exc}", source=str(file)) from None
        missing = [c for c in REQUIRED if c not in columns]
        if missing or not columns & set(ONE_OF):
            raise SourceError(f"needs columns {', '.join(REQUIRED)} and one of {', '.join(ONE_OF)}",
                              source=str(file), field=(missing or list(ONE_OF))[0])
        select = ", ".join(c if c in columns else f"null as {c}" for c in OPTIONAL)  # fixed names
        with store.transaction(con):
            con.execute(f"create or replace temp table signal_file as select {select}, signal, signal_date "
                        "from read_csv($path, header = true, all_varchar = true)", {"path": str(file)})
            bad = con.execute("select row_number() over () as n, signal_date from signal_file "
                              "qualify try_cast(signal_date as date) is null limit 1").fetchone()
            if bad:
                raise SourceError(f"signal_date {bad[1]!r} is not a date (YYYY-MM-DD)",
                                  source=str(file), row=bad[0], field="signal_date")
            store.run(con, "risk/load_company_signals", source=str(file))
            return con.execute("select count(*) from signal_file").fetchone()[0]
