"""Read a returns, fees or benchmarks file (CSV or XLSX), as text.

CSV: UTF-8 with or without a byte-order mark, UTF-16 (by its byte-order mark, or the zero bytes of
its ASCII characters), or Windows-1252 (recognised when the bytes are not UTF-8). Clean UTF-8 CSV files are not staged at all: the contract's one checking pass reads them
with DuckDB's CSV reader, whatever their size. Files with blank lines, Windows-1252 files and XLSX
files (first sheet) are read row by row into a staging table so that each row keeps its number in
the file; so is a clean UTF-8 file that DuckDB's reader refuses (a row with the wrong number of
cells), so that the verdict does not depend on the encoding: such rows are quarantined
(`Recognised.ragged`). A header that names a column twice is refused, naming it. Blank rows are skipped; a last row that says `Total` is recognised as a totals row and
skipped (`totals_row`). Row numbers count data rows from 1, the row under the header being 1.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from market_oversight.contracts import Contract, contracts_for, normalise_header
from market_oversight.errors import MissingColumns, SourceError, UnknownSourceFormat
from market_oversight.ingest import date_order
from market_oversight.ingest.limits import KB, MB, InputLimits, TextMeter, check_zip, refuse

_TOTALS = re.compile(r"^\s*(grand\s+)?totals?\s*:?\s*$", re.IGNORECASE)
_XLSX_MAGIC = b"PK\x03\x04"
_BLANK_LINE = re.compile(rb"\n\r?\n")


@dataclass
class Scan:
    """One pass over the bytes: the content hash, the encoding, and whether there are blank lines."""
    content_hash: str
    encoding: str                 # utf-8 | utf-16 | utf-16-le | utf-16-be | cp1252
    blank_lines: bool
    is_xlsx: bool
    size: int                     # bytes


@dataclass
class Recognised:
    contract: Contract
    columns: dict[int, str]                  # position in the file -> canonical column
    headers: list[str]                       # the file's headers, as written
    ignored: list[str] = field(default_factory=list)
    numbered: bool = False                   # read from a staged table with its own row_number column
    source: str = ""                         # the relation holding the file's text (SQL we wrote)
    params: dict[str, Any] = field(default_factory=dict)   # values the relation binds
    totals_row: int | None = None
    ragged: dict[int, int] = field(default_factory=dict)   # row number -> its cells, when not the header's

    @property
    def names(self) -> list[str]:
        """Staged column names by position: raw_<contract column>, or extra_<position>."""
        return [f"raw_{self.columns[i]}" if i in self.columns else f"extra_{i}"
                for i in range(len(self.headers))]

    def numbered_rows(self) -> str:
        """The file's rows as text, `row_number` and `cells` (every cell in the file's order)."""
        cells = "[" + ", ".join(self.names) + "]"     # names we made
        if self.numbered:
            return f"select row_number, {cells} as cells from {self.source}"
        return f"select row_number() over () as row_number, {cells} as cells from {self.source}"


def totals_row(last: tuple[int, list[str | None] | None] | None) -> int | None:
    """The number of the last non-blank row, (number, its cells), when one of its cells says Total
    (the row is then skipped). Cells are None when the row cannot be a totals row."""
    if last and last[1] and any(v is not None and _TOTALS.match(v) for v in last[1]):
        return int(last[0])
    return None


def scan(path: Path, limits: InputLimits) -> Scan:
    """One pass over the bytes; a text file over a limit is refused here (`limits.TextMeter`), a
    spreadsheet by its zip directory, before either is parsed."""
    h = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, blank, first, head, tail, size = True, False, b"", b"", b"", 0
    meter = TextMeter(limits, str(path))
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                if not first:
                    first, head = block[:4], block[:4096]
                    if first == _XLSX_MAGIC:
                        check_zip(path, limits)
                if first != _XLSX_MAGIC:
                    meter.feed(block)
                h.update(block)
                size += len(block)
                # ASCII (most returns) is UTF-8, unless a character began in the block before
                if utf8 and not (block.isascii() and not decoder.getstate()[0]):
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        utf8 = False
                if not blank:
                    blank = bool(_BLANK_LINE.search(tail + block[:2]) or _BLANK_LINE.search(block))
                    tail = block[-2:]
            if utf8:  # a multi-byte character cut off by the end of the file is not UTF-8
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    utf8 = False
        meter.finish()
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}", source=str(path)) from None
    encoding = _utf16(head) or ("utf-8" if utf8 else "cp1252")
    return Scan(h.hexdigest(), encoding, blank, first == _XLSX_MAGIC, size)


def _utf16(head: bytes) -> str | None:
    """UTF-16 by its byte-order mark, or by the zero byte beside each ASCII character."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4096]
    half = len(sample) // 2
    if half >= 2 and sample[1::2].count(0) > half * 3 // 4 and not sample[0::2].count(0):
        return "utf-16-le"
    if half >= 2 and sample[0::2].count(0) > half * 3 // 4 and not sample[1::2].count(0):
        return "utf-16-be"
    return None


def recognise(headers: list[str], command: str, source: str) -> Recognised:
    """Which dataset a file holds, from its headers; SourceError naming the columns otherwise."""
    _refuse_repeated(headers, source)
    best = None
    for contract in contracts_for(command):
        mapping = contract.header_map()
        columns = {i: mapping[normalise_header(h)] for i, h in enumerate(headers)
                   if normalise_header(h) in mapping}
        missing = [c for c in contract.required_columns if c not in columns.values()]
        score = (not missing, len(columns))
        if best is None or score > best[0]:
            best = (score, contract, columns, missing)
    if best is None:
        raise UnknownSourceFormat(f"no data contract for `ingest {command}`", source=source)
    _, contract, columns, missing = best
    unexpected = [h for i, h in enumerate(headers) if i not in columns and str(h).strip()]
    if len(columns) < 2:
        raise UnknownSourceFormat(
            f"not a recognised {command} file: none of its columns is one we know "
            f"(unexpected columns: {', '.join(map(repr, unexpected)) or 'none'}); "
            f"see docs/returns.md for the accepted headers", source=source)
    if missing:
        raise MissingColumns(
            f"looks like {contract.title} but lacks required column(s) {', '.join(missing)}"
            + (f"; columns not recognised: {', '.join(map(repr, unexpected))}" if unexpected else ""),
            source=source)
    seen: dict[str, int] = {}
    for i, c in columns.items():
        if c in seen:
            raise SourceError(f"columns {headers[seen[c]]!r} and {headers[i]!r} both give {c}",
                              source=source)
        seen[c] = i
    return Recognised(contract, columns, [str(h) for h in headers], unexpected)


def _refuse_repeated(headers: list[str], source: str) -> None:
    """Two columns with one name: which of them a value came from would be lost."""
    seen: dict[str, list[str]] = {}
    for h in headers:
        if normalise_header(h):
            seen.setdefault(normalise_header(h), []).append(str(h))
    repeated = [names for names in seen.values() if len(names) > 1]
    if repeated:
        raise SourceError("the header names a column more than once: " + "; ".join(
            " and ".join(repr(n) for n in names) for names in repeated)
            + "; give each column its own name", source=source)


def stage(con: duckdb.DuckDBPyConnection, path: Path, command: str, scanned: Scan,
          table: str, limits: InputLimits, as_rows: bool = False, month_first: bool = False) -> Recognised:
    """Recognise the file by its header and say where its text is read from (`Recognised.source`):
    a clean UTF-8 CSV file is read by DuckDB's CSV reader in the checking pass itself; any other
    file is read here, row by row, into temp table `table` (an identifier our code chose), with
    `row_number`. Columns are `raw_<contract column>` for recognised columns and `extra_<position>`
    for the others. Blank rows and a trailing totals row are kept here and skipped by the loader.
    `month_first`: the file writes its dates month first (`date_order`); they are staged as ISO dates."""
    source = str(path)
    if scanned.is_xlsx or path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        headers, rows = _xlsx_rows(path, limits)
        return _stage_rows(con, headers, rows, command, source, table, month_first=month_first)
    if scanned.encoding != "utf-8" or scanned.blank_lines or as_rows or month_first:
        headers, rows = _csv_rows(path, scanned.encoding, limits)
        return _stage_rows(con, headers, rows, command, source, table, ragged=True, month_first=month_first)
    header, delimiter = _csv_header(path)
    rec = recognise(header, command, source)
    # Read in file order (DuckDB keeps insertion order), so a row's number is its place. Nothing
    # guessed: a row with more or fewer cells than the header is an error, and the loader then
    # reads the file row by row (`as_rows`) to quarantine those rows.
    rec.source = ("read_csv($csv_path, header = true, delim = $csv_delim, quote = '\"', escape = '\"', "
                  "columns = $csv_columns, auto_detect = false, max_line_size = $csv_line)")
    rec.params = {"csv_path": source, "csv_delim": delimiter,
                  "csv_columns": {n: "VARCHAR" for n in rec.names},
                  "csv_line": max(limits.max_cell_bytes * len(rec.names), 2 * MB)}
    return rec


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The header row of a UTF-8 CSV file and its delimiter."""
    with path.open("r", encoding="utf-8-sig", newline="") as f:
        first = f.readline()
    if not first.strip():
        raise SourceError("the first line is empty; expected a header row", source=str(path))
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    return next(csv.reader([first], delimiter=delimiter)), delimiter


def _stage_rows(con: duckdb.DuckDBPyConnection, headers: list[str], rows: list[tuple[int, list[str | None]]],
                command: str, source: str, table: str, ragged: bool = False,
                month_first: bool = False) -> Recognised:
    """`ragged`: rows of a text file, each as long as it was written (a blank line has no cell)."""
    rec = recognise(headers, command, source)
    if ragged:
        rec.ragged = {n: len(r) for n, r in rows if r and len(r) != len(headers)}
    dates = date_order.date_fields(rec) if month_first else {}
    arrays = {"row_number": pa.array([n for n, _ in rows], pa.int64())}
    for i, name in enumerate(rec.names):
        cells = [r[i] if i < len(r) else None for _, r in rows]
        arrays[name] = pa.array([date_order.to_iso(v) for v in cells] if i in dates else cells, pa.string())
    con.register("stage_rows_arrow", pa.table(arrays))
    try:
        con.execute(f"create or replace temp table {table} as select * from stage_rows_arrow")
    finally:
        con.unregister("stage_rows_arrow")
    rec.numbered, rec.source = True, table
    return rec


def _csv_rows(path: Path, encoding: str, limits: InputLimits) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig" if encoding == "utf-8" else encoding, errors="strict")
    except UnicodeDecodeError as exc:   # a byte Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
        if encoding.startswith("utf-16"):
            raise SourceError(f"the file looks like UTF-16 text but is not valid UTF-16 ({exc.reason} "
                              f"at byte {exc.start}); save it as 'CSV UTF-8' and send it again",
                              source=str(path)) from None
        line = exc.object[:exc.start].count(b"\n") + 1
        raise SourceError(f"line {line} holds byte 0x{exc.object[exc.start]:02x}, which is neither UTF-8 nor "
                          "Windows-1252 text; save the file as 'CSV UTF-8' and send it again",
                          source=str(path)) from None
    text = text.removeprefix("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(limits.max_cell_bytes)   # set on every read: the limit of this load
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader, None)
        if header is None:
            raise SourceError("the file is empty", source=str(path))
        rows = [(n, [v if v != "" else None for v in r]) for n, r in enumerate(reader, start=1)]
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise refuse(str(path), f"row {reader.line_num} has a cell longer than "
                         f"{limits.max_cell_bytes // KB:,} KB", "max_cell_kilobytes", limits.max_cell_bytes // KB) from None
        raise SourceError(f"cannot read as CSV at line {reader.line_num}: {exc}", source=str(path)) from None
    return header, rows


def _cell_text(v: object) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "Yes" if v else "No"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M:%S")
    return str(v)


def _xlsx_rows(path: Path, limits: InputLimits) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        first = book.get_sheet_by_index(0)
        # The sheet's size before its cells become Python objects (calamine has read them).
        if first.total_width > limits.max_columns:
            raise refuse(str(path), f"its first sheet has {first.total_width:,} columns", "max_columns",
                         limits.max_columns)
        if first.total_height > limits.max_rows + 1:
            raise refuse(str(path), f"its first sheet has {first.total_height:,} rows", "max_rows",
                         limits.max_rows)
        sheet = first.to_python(skip_empty_area=False)
    except SourceError:
        raise
    except Exception as exc:   # calamine raises its own error types for corrupt files
        raise SourceError(f"cannot read as a spreadsheet: {exc}", source=str(path)) from None
    rows = [[_cell_text(v) for v in r] for r in sheet]
    start = next((i for i, r in enumerate(rows) if any(v is not None for v in r)), None)
    if start is None:
        raise SourceError("the spreadsheet's first sheet is empty", source=str(path))
    header = [v or "" for v in rows[start]]
    return header, [(n, r) for n, r in enumerate(rows[start + 1:], start=1)]

