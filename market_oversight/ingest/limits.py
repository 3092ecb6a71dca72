"""Bounded resources for every input file: limits checked on the bytes, before anything is parsed.

A CSV file is measured in the one pass that hashes it (`tabular_read.scan` feeds each block to a
`TextMeter`): its lines, the columns of its header line and its longest run of bytes without a
line end or delimiter (a cell can be no longer). A spreadsheet is a zip: its parts' sizes, as the
zip's directory declares them, are checked before a byte is expanded (`check_zip`). A file over a
limit is refused with one line naming the file, what was found, and the limit's name and value
(`InputTooLarge`), and nothing is stored. The readers keep the same cell limit while parsing
(a quoted cell may hold a delimiter, which the byte count takes for the end of the cell).
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

from market_oversight.config import Settings
from market_oversight.errors import InputTooLarge, SourceError

KB = 1024
MB = 1024 * KB
SEPARATORS = (b"\n", b",", b";", b"\t", b"|")   # a line end, or a delimiter we accept
_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class InputLimits:
    """From the [ingest] section of the settings."""
    max_columns: int
    max_cell_bytes: int
    max_rows: int
    max_expanded_bytes: int
    max_compression_ratio: float

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        s = settings.ingest
        return cls(max_columns=s.max_columns, max_cell_bytes=int(s.max_cell_kilobytes * KB),
                   max_rows=s.max_rows, max_expanded_bytes=int(s.max_expanded_megabytes * MB),
                   max_compression_ratio=s.max_compression_ratio)


def over_limit(found: str, key: str, value: object, section: str = "ingest") -> str:
    """The one wording of every limit: what the file holds, and the limit by name and value."""
    shown = f"{value:,}" if isinstance(value, int) else f"{value:g}" if isinstance(value, float) else value
    return f"{found}; the limit is [{section}] {key} = {shown}"


def refuse(source: str, found: str, key: str, value: object) -> InputTooLarge:
    return InputTooLarge(f"refused before reading: {over_limit(found, key, value)}", source=source, limit=key)


class TextMeter:
    """Measures a text file block by block (its line count, header width and longest cell) and
    refuses it as soon as a limit is passed, so a hostile file costs one block of memory."""

    def __init__(self, limits: InputLimits, source: str) -> None:
        self.limits, self.source = limits, source
        self.lines = 0
        self.header: bytes | None = None   # the first line, once its end is seen (or the first block)
        self._head = b""
        self._run = 0                      # bytes since the last separator, carried between blocks

    def feed(self, block: bytes) -> None:
        if self.header is None:
            self._header_from(block)
        self.lines += block.count(b"\n")
        if self.lines > self.limits.max_rows + 1:
            raise refuse(self.source, f"it has more than {self.limits.max_rows:,} rows (counted as lines)",
                         "max_rows", self.limits.max_rows)
        self._longest_cell(block)

    def finish(self) -> None:
        if self.header is None:
            self._header_from(b"", final=True)

    def _header_from(self, block: bytes, final: bool = False) -> None:
        self._head += block
        end = self._head.find(b"\n")
        if end < 0 and not final and len(self._head) < 4 * MB:
            return
        self.header = self._head if end < 0 else self._head[:end]
        self._head = b""
        columns = header_columns(self.header)
        if columns > self.limits.max_columns:
            at_least = "at least " if end < 0 and not final else ""     # the line goes on
            raise refuse(self.source, f"its header has {at_least}{columns:,} columns", "max_columns",
                         self.limits.max_columns)

    def _longest_cell(self, block: bytes) -> None:
        """A run of bytes longer than the limit without a separator. A run at least `limit` long
        holds a whole aligned window of half that length, so only windows with no separator at
        all (none, in a normal file) are measured exactly."""
        limit = self.limits.max_cell_bytes
        # The first and last separators lie within `limit` bytes of the block's ends, or a cell is
        # too long: the searches stop there (a delimiter the file never uses is not looked for
        # through the whole block).
        head = [i for i in (block.find(s, 0, limit + 1) for s in SEPARATORS) if i >= 0]
        if not head:
            self._run += min(len(block), limit + 1)
            self._over(self._run)
            return                              # a block shorter than a cell, with no separator
        self._over(self._run + min(head))
        tail = max(block.rfind(s, max(0, len(block) - limit - 1)) for s in SEPARATORS)
        self._run = len(block) - 1 - tail if tail >= 0 else limit + 1
        half = max(limit // 2, 1)
        for start in range(0, len(block), half):
            end = min(start + half, len(block))
            if all(block.find(s, start, end) < 0 for s in SEPARATORS):
                left = max(block.rfind(s, 0, start) for s in SEPARATORS)
                right = [i for i in (block.find(s, end) for s in SEPARATORS) if i >= 0]
                if left >= 0 and right:        # a run reaching a block's edge is counted above
                    self._over(min(right) - left - 1)
        self._over(self._run)

    def _over(self, run: int) -> None:
        if run > self.limits.max_cell_bytes:
            raise refuse(self.source, f"a cell is longer than {self.limits.max_cell_bytes // KB:,} KB",
                         "max_cell_kilobytes", self.limits.max_cell_bytes // KB)


def header_columns(line: bytes) -> int:
    """The header line's cells, read with the delimiter it holds most of (UTF-16 text too)."""
    text = line.replace(b"\x00", b"").decode("utf-8", errors="replace")
    delimiter = max(_DELIMITERS, key=text.count)
    if text.count(delimiter) < 1000:
        return len(next(csv.reader([text], delimiter=delimiter), []))
    return text.count(delimiter) + 1          # too many to parse first: the count is the answer


def check_zip(path: Path, limits: InputLimits) -> None:
    """Refuse a spreadsheet whose parts would expand past the limits (a zip bomb), before any part
    is expanded: the sizes are the zip directory's own."""
    try:
        with zipfile.ZipFile(path) as book:
            parts = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"cannot read as a spreadsheet: it is a damaged zip ({exc})", source=str(path)) from None
    problem = zip_problem(parts, limits.max_expanded_bytes, limits.max_compression_ratio)
    if problem:
        found, key, value = problem
        raise refuse(str(path), found, key, value)


def zip_problem(parts: list[zipfile.ZipInfo], max_expanded_bytes: int,
                max_ratio: float) -> tuple[str, str, float] | None:
    """(what was found, the limit's key, its value) when the parts would expand too far."""
    expanded = sum(p.file_size for p in parts)
    if expanded > max_expanded_bytes:
        return (f"the spreadsheet would expand to {expanded / MB:,.0f} MB", "max_expanded_megabytes",
                max_expanded_bytes / MB)
    for p in parts:
        if p.compress_size and p.file_size / p.compress_size > max_ratio:
            return (f"part {p.filename} is compressed {p.file_size // p.compress_size:,}:1, which only a "
                    "zip bomb does", "max_compression_ratio", max_ratio)
    return None
