"""Every CSV and XLSX the project writes, made safe to open in a spreadsheet.

A text that starts with `=`, `+`, `-` or `@`, or their full-width forms `＝ ＋ － ＠`, would be run as
a formula by Excel or LibreOffice, even behind leading spaces, tabs or line breaks, and a text that
starts with a tab, carriage return or line feed can be turned into one on import. Such texts get a
leading apostrophe, in the column headers as in the cells (a provider's file names its own columns,
and the quarantine export gives them back). Numbers stay numbers (a negative number is not text and
is not at risk). Every writer goes through `to_csv`, `to_xlsx` or `safe_frame`.
"""

from __future__ import annotations

import io
import re

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# What a spreadsheet may run as a formula: one of these first, after any leading white space ...
_FORMULA_SIGNS = "=+\\-@\uff1d\uff0b\uff0d\uff20"
_LEADING_SPACE = " \\t\\r\\n\u00a0\u3000"
# ... or a tab, carriage return or line feed first, whatever follows.
_RISKY = f"^(?:[{_LEADING_SPACE}]*[{_FORMULA_SIGNS}]|[\\t\\r\\n])"
_RISKY_TEXT = re.compile(_RISKY)


def safe_text(value: str | None) -> str | None:
    """`value` with a leading apostrophe if a spreadsheet could run it as a formula."""
    if value is not None and _RISKY_TEXT.match(value):
        return "'" + value
    return value


def _safe(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.contains(_RISKY)).then(pl.lit("'") + expr).otherwise(expr)


def safe_names(names: list[str]) -> list[str]:
    """Column headers made safe, kept distinct (a header made safe may meet one already so named)."""
    out: list[str] = []
    for name in names:
        safe = candidate = safe_text(name) or ""
        n = 1
        while candidate in out:
            n += 1
            candidate = f"{safe} ({n})"
        out.append(candidate)
    return out


def safe_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Every header and text cell made safe; nested values (lists, structs) and categories written
    out as text first."""
    out = []
    for (name, dtype), safe_name in zip(df.schema.items(), safe_names(df.columns), strict=True):
        col = pl.col(name)
        if dtype == pl.String:
            out.append(_safe(col).alias(safe_name))
        elif isinstance(dtype, (pl.Categorical, pl.Enum)):
            out.append(_safe(col.cast(pl.String)).alias(safe_name))
        elif isinstance(dtype, pl.List):
            out.append(_safe(col.list.eval(pl.element().cast(pl.String)).list.join("; ")).alias(safe_name))
        elif isinstance(dtype, pl.Struct):
            out.append(_safe(col.struct.json_encode()).alias(safe_name))
        elif isinstance(dtype, pl.Object) or dtype == pl.Null:
            out.append(_safe(col.cast(pl.String)).alias(safe_name))
        else:
            out.append(col.alias(safe_name))
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
