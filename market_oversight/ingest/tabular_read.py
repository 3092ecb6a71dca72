"""Read a returns, fees or benchmarks file (CSV or XLSX) into a staging table, as text.

CSV: UTF-8 with or without a byte-order mark, or Windows-1252 (recognised when the bytes are not
UTF-8). Large clean CSV files are read by DuckDB directly; files with blank lines, and XLSX files
(first sheet), are read row by row so that each row keeps its number in the file. Blank rows are
skipped; a last row that says `Total` is recognised as a totals row and skipped. Row numbers count
data rows from 1, the row under the header being 1.
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

import duckdb
import pyarrow as pa

from market_oversight.contracts import Contract, contracts_for, normalise_header
from market_oversight.errors import MissingColumns, SourceError, UnknownSourceFormat

_TOTALS = re.compile(r"^\s*(grand\s+)?totals?\s*:?\s*$", re.IGNORECASE)
_XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Scan:
    """One pass over the bytes: the content hash, the encoding, and whether there are blank lines."""
    content_hash: str
    encoding: str                 # utf-8 | cp1252
    blank_lines: bool
    is_xlsx: bool


@dataclass
class Recognised:
    contract: Contract
    columns: dict[int, str]                  # position in the file -> canonical column
    headers: list[str]                       # the file's headers, as written
    ignored: list[str] = field(default_factory=list)
    numbered: bool = False                   # the staged table has its own row_number column
    totals_row: int | None = None

    @property
    def names(self) -> list[str]:
        """Staged column names by position: raw_<contract column>, or extra_<position>."""
        return [f"raw_{self.columns[i]}" if i in self.columns else f"extra_{i}"
                for i in range(len(self.headers))]

    @property
    def row_expr(self) -> str:
        return "row_number" if self.numbered else "(rowid + 1)"

    @property
    def blank_expr(self) -> str:
        cells = ", ".join(f"nullif(trim({n}), '')" for n in self.names)   # identifiers we made
        return f"coalesce({cells}) is null"


def scan(path: Path) -> Scan:
    h = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, blank, first, tail = True, False, b"", b""
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                if not first:
                    first = block[:4]
                h.update(block)
                if utf8:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        utf8 = False
                if not blank:
                    joined = tail + block
                    blank = b"\n\n" in joined or b"\n\r\n" in joined
                    tail = block[-2:]
            if utf8:  # a multi-byte character cut off by the end of the file is not UTF-8
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    utf8 = False
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}", source=str(path)) from None
    return Scan(h.hexdigest(), "utf-8" if utf8 else "cp1252", blank, first == _XLSX_MAGIC)


def recognise(headers: list[str], command: str, source: str) -> Recognised:
    """Which dataset a file holds, from its headers; SourceError naming the columns otherwise."""
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


def stage(con: duckdb.DuckDBPyConnection, path: Path, command: str, scanned: Scan,
          table: str) -> Recognised:
    """Read the file, as text, into temp table `table` (an identifier our code chose): columns
    `raw_<contract column>` for recognised columns and `extra_<position>` for the others; rows in
    file order, with `row_number` when the file had blank lines (else row number = rowid + 1).
    Blank rows are kept here and skipped by `rows_view`; `Recognised.totals_row` names a trailing
    totals row."""
    source = str(path)
    if scanned.is_xlsx or path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        headers, rows = _xlsx_rows(path)
        rec = _stage_rows(con, headers, rows, command, source, table)
    elif scanned.encoding != "utf-8" or scanned.blank_lines:
        headers, rows = _csv_rows(path, scanned.encoding)
        rec = _stage_rows(con, headers, rows, command, source, table)
    else:
        rec = _stage_csv(con, path, command, table)
    rec.totals_row = _totals_row(con, rec, table)
    return rec


def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, command: str, table: str) -> Recognised:
    source = str(path)
    header, delimiter = _csv_header(path)
    rec = recognise(header, command, source)
    try:
        con.execute(f"create or replace temp table {table} as select * from read_csv($p, "
                    "all_varchar = true, header = true, delim = $d, quote = '\"', names = $n)",
                    {"p": source, "d": delimiter, "n": rec.names})
    except duckdb.Error as exc:
        raise SourceError(f"cannot read as CSV: {str(exc).splitlines()[0]}", source=source) from None
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
                command: str, source: str, table: str) -> Recognised:
    rec = recognise(headers, command, source)
    arrays = {"row_number": pa.array([n for n, _ in rows], pa.int64())}
    for i, name in enumerate(rec.names):
        arrays[name] = pa.array([r[i] if i < len(r) else None for _, r in rows], pa.string())
    con.register("stage_rows_arrow", pa.table(arrays))
    try:
        con.execute(f"create or replace temp table {table} as select * from stage_rows_arrow")
    finally:
        con.unregister("stage_rows_arrow")
    rec.numbered = True
    return rec


def _totals_row(con: duckdb.DuckDBPyConnection, rec: Recognised, table: str) -> int | None:
    """The number of the last non-blank row when one of its cells says Total (it is skipped)."""
    last = con.execute(
        f"select {rec.row_expr}, [{', '.join(rec.names)}] from {table} where not ({rec.blank_expr}) "
        f"order by {rec.row_expr} desc limit 1").fetchall()   # fetchall: leaves no open result
    last = last[0] if last else None
    if last and any(v is not None and _TOTALS.match(v) for v in last[1]):
        return int(last[0])
    return None


def _csv_rows(path: Path, encoding: str) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig" if encoding == "utf-8" else encoding, errors="strict")
    except UnicodeDecodeError as exc:   # a byte Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
        line = exc.object[:exc.start].count(b"\n") + 1
        raise SourceError(f"line {line} holds byte 0x{exc.object[exc.start]:02x}, which is neither UTF-8 nor "
                          "Windows-1252 text; save the file as 'CSV UTF-8' and send it again",
                          source=str(path)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, None)
    if header is None:
        raise SourceError("the file is empty", source=str(path))
    rows = [(n, [v if v != "" else None for v in r]) for n, r in enumerate(reader, start=1)]
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


def _xlsx_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:   # calamine raises its own error types for corrupt files
        raise SourceError(f"cannot read as a spreadsheet: {exc}", source=str(path)) from None
    rows = [[_cell_text(v) for v in r] for r in sheet]
    start = next((i for i, r in enumerate(rows) if any(v is not None for v in r)), None)
    if start is None:
        raise SourceError("the spreadsheet's first sheet is empty", source=str(path))
    header = [v or "" for v in rows[start]]
    return header, [(n, r) for n, r in enumerate(rows[start + 1:], start=1)]

