"""Which way round a file writes its dates: day first (DD/MM/YYYY, the contracts' order) or month
first (MM/DD/YYYY, as a spreadsheet set to US English saves them).

A date such as 04/03/2026 reads both ways; only a date whose first or second part is over 12 tells
the order. The order is the file's, not the cell's: a file with dates only month first can read,
and none only day first can, is month first, its ambiguous dates too (they are rewritten as ISO
dates, 2026-03-04, when the file is staged: `to_iso`); any other file is read day first; a file
with dates of both kinds is refused (`MixedDateOrder`), naming the rows and fields, since either
reading of its ambiguous dates may be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from market_oversight import store
from market_oversight.errors import MixedDateOrder

if TYPE_CHECKING:        # tabular_read stages a month-first file with `to_iso`
    from market_oversight.ingest.tabular_read import Recognised

DATE_TYPES = frozenset({"month", "date", "timestamp"})
SHOWN = 5            # rows named per field and order in the refusal
_MONTH_FIRST = re.compile(r"^(\s*)(\d{1,2})/(\d{1,2})/(\d{4})(?=$|[ T])")


@dataclass(frozen=True)
class FieldOrder:
    """The dates of one field that only one order can read: how many, and the first rows."""
    field: str
    day_first: int
    day_first_rows: list[int]
    month_first: int
    month_first_rows: list[int]


def date_fields(rec: Recognised) -> dict[int, str]:
    """Position in the file -> contract column, for the file's date, month and timestamp columns."""
    return {i: c for i, c in rec.columns.items() if rec.contract.columns[c].type in DATE_TYPES}


def month_first(con: duckdb.DuckDBPyConnection, rec: Recognised, rows: str, source: str) -> bool:
    """Whether the file writes its dates month first. `rows` is the view of the file's checked rows
    (`row_number`, and `cells` where kept). The checking pass reads dates day first, so a date only
    month first can read broke its type rule and its row's cells were kept: those rows are looked
    at first, and the whole file only when one is there. MixedDateOrder when the file has dates
    only day first can read as well."""
    fields = date_fields(rec)
    if not fields or not any(o.month_first for o in _orders(
            con, fields, f"select row_number, cells from {rows} where cells is not null", {})):
        return False
    orders = _orders(con, fields, rec.numbered_rows(), rec.params)
    if any(o.day_first for o in orders):
        raise MixedDateOrder(
            "its dates are written both day first (DD/MM/YYYY) and month first (MM/DD/YYYY), so a "
            "date such as 04/03/2026 could be either: " + "; ".join(_described(o) for o in orders)
            + "; nothing was loaded; write every date day first and send the file again",
            source=source, field=orders[0].field if len(orders) == 1 else None)
    return True


def _orders(con: duckdb.DuckDBPyConnection, fields: dict[int, str], rows: str,
            params: dict) -> list[FieldOrder]:
    """`date_orders.sql` over the date cells of `rows` (SQL we wrote, binding `params`)."""
    names = ", ".join(f"'{name}'" for name in fields.values())      # contract identifiers
    cells = ", ".join(f"cells[{i + 1}]" for i in fields)               # positions we counted
    con.execute("create or replace temp table stage_dates as select row_number, "
                f"unnest([{names}]) as field, unnest([{cells}]) as text from ({rows})", params)
    try:
        return [FieldOrder(*row) for row in store.run(con, "ingest/date_orders", shown=SHOWN).fetchall()]
    finally:
        con.execute("drop table if exists stage_dates")


def _rows(count: int, rows: list[int]) -> str:
    more = f" and {count - len(rows):,} more" if count > len(rows) else ""
    return ("row " if count == 1 else "rows ") + ", ".join(map(str, rows)) + more


def _described(o: FieldOrder) -> str:
    parts = []
    if o.day_first:
        parts.append(f"day first in {_rows(o.day_first, o.day_first_rows)}")
    if o.month_first:
        parts.append(f"month first in {_rows(o.month_first, o.month_first_rows)}")
    return f"{o.field} " + " and ".join(parts)


def to_iso(text: str | None) -> str | None:
    """A month-first date (MM/DD/YYYY, any time after it kept) as an ISO date; other text as it is."""
    if text is None:
        return None
    m = _MONTH_FIRST.match(text)
    if not m:
        return text
    lead, month, day, year = m.groups()
    return f"{lead}{year}-{int(month):02d}-{int(day):02d}{text[m.end():]}"
