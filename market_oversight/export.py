"""Downloads: CSV and XLSX that are safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run as a
formula by Excel or LibreOffice, so text cells like that get a leading apostrophe. Numbers stay
numbers (a negative number is not text and is not at risk).
"""

from __future__ import annotations

import io

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def to_xlsx(df: pl.DataFrame, sheet: str = "Data", *, title: str | None = None,
            as_of: str | None = None) -> bytes:
    """One sheet, values written as values (never as formulas), the header frozen with a filter on
    it and each column as wide as its longest value (within reason). With a title, the sheet opens
    with a title row and a line saying what date the data are as of, above the header."""
    safe = safe_frame(df)
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    above = [line for line in (safe_text(title), safe_text(as_of)) if line]
    header_row = len(above) + (1 if above else 0) + 1   # a blank row between the title and the table
    for letter, width in zip(_letters(safe.width), _widths(safe), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    if safe.width:
        ws.auto_filter.ref = f"A{header_row}:{_letters(safe.width)[-1]}{header_row + max(safe.height, 1)}"
    if above:
        ws.append([_styled(ws, above[0], Font(bold=True, size=14))])
        for line in above[1:]:
            ws.append([line])
        ws.append([])
    ws.append([_styled(ws, name, Font(bold=True)) for name in safe.columns])
    for row in safe.iter_rows():
        ws.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_MIN_WIDTH, _MAX_WIDTH, _SAMPLE_ROWS = 8, 60, 500
_DATE_WIDTH = 12


def _widths(df: pl.DataFrame) -> list[float]:
    """Characters wide each column should be: its longest value among the first rows or its name."""
    widths = []
    for name, dtype in df.schema.items():
        if dtype in (pl.Date, pl.Datetime):
            longest = _DATE_WIDTH
        else:
            values = df[name].head(_SAMPLE_ROWS).cast(pl.String, strict=False).str.len_chars()
            longest = int(values.max() or 0)
        widths.append(float(min(max(longest, len(name), _MIN_WIDTH) + 2, _MAX_WIDTH)))
    return widths


def _styled(ws: object, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell


def _letters(n: int) -> list[str]:
    return [get_column_letter(i) for i in range(1, n + 1)]


def _cell(value: object) -> object:
    # openpyxl treats any string starting with "=" as a formula; safe_text has already prefixed it.
    if isinstance(value, (list, tuple, dict)):
        return str(value)
    return value
