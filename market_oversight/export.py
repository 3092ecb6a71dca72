"""Downloads: CSV and XLSX that are safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run as a
formula by Excel or LibreOffice, so text cells like that get a leading apostrophe. Numbers stay
numbers (a negative number is not text and is not at risk).
"""

from __future__ import annotations

import io

import polars as pl
from openpyxl import Workbook

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY = r"^[=+\-@\t\r]"


def safe_text(value: str | None) -> str | None:
    if value is not None and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _safe(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.contains(_RISKY)).then(pl.lit("'") + expr).otherwise(expr)


def safe_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Every text cell made safe; nested values (lists, structs) written out as text first."""
    out = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if dtype == pl.String:
            out.append(_safe(col).alias(name))
        elif isinstance(dtype, pl.List):
            out.append(_safe(col.list.eval(pl.element().cast(pl.String)).list.join("; ")).alias(name))
        elif isinstance(dtype, (pl.Struct, pl.Object)) or dtype == pl.Null:
            out.append(col.cast(pl.String))
        else:
            out.append(col)
    return df.select(out) if out else df


def to_csv(df: pl.DataFrame) -> bytes:
    return safe_frame(df).write_csv().encode("utf-8")


def to_xlsx(df: pl.DataFrame, sheet: str = "Data") -> bytes:
    """One sheet, a header row, values written as values (never as formulas)."""
    safe = safe_frame(df)
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.append(list(safe.columns))
    for row in safe.iter_rows():
        ws.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    # openpyxl treats any string starting with "=" as a formula; safe_text has already prefixed it.
    if isinstance(value, (list, tuple, dict)):
        return str(value)
    return value
