"""CQC bulk files -> staged rows: the HSCA active-locations / care directory file (CSV, XLSX, ODS;
banner rows above a header found by its `Location ID` column; sheet found by name) and the
adult-social-care locations CSV (latest overall and key-question ratings)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from market_oversight import vocab
from market_oversight.errors import MissingColumns, SourceError, UnknownSourceFormat
from market_oversight.ingest.cqc_rows import RawRating, StagedLocation, text
from market_oversight.ingest.limits import InputLimits, TextMeter, check_zip, refuse

HEADER_SCAN_ROWS = 30
LOCATION_ID = "location id"
EXPECTED = ("a CQC bulk file: the HSCA active-locations / care directory file or the adult social "
            "care locations file (CSV, XLSX or ODS) with a 'Location ID' column")
PREFERRED_SHEETS = ("hsca_active_locations", "hsca active locations", "locations",
                    "deactivated_locations")

# Canonical field -> the header spellings CQC has used (compared trimmed and lower-cased).
COLUMNS: dict[str, tuple[str, ...]] = {
    "location_id": ("location id",),
    "provider_id": ("provider id",),
    "location_name": ("location name",),
    "provider_name": ("provider name",),
    "care_home": ("care home?", "care home"),
    "beds": ("care homes beds", "care homes beds at point location de-activated"),
    "registration_date": ("location hsca start date",),
    "deregistration_date": ("location hsca end date",),
    "registration_status": ("location status",),
    "dormant": ("dormant (y/n)", "dormant"),
    "registered_manager": ("registered manager",),
    "local_authority": ("location local authority",),
    "region": ("location region", "location adass region"),
    "postcode": ("location postal code", "location post code", "location postcode"),
    "latitude": ("location latitude",),
    "longitude": ("location longitude",),
    "primary_inspection_category": ("location primary inspection category",
                                    "primary inspection category"),
    "ownership_type": ("provider ownership type",),
    "companies_house_number": ("provider companies house number",),
    "dual_registration_primary_id": ("primary id (dual registration locations)",),
    "brand_id": ("brand id",),
    "brand_name": ("brand name",),
    "service_types": ("service types",),
    "publication_date": ("publication date",),
    "overall": ("location latest overall rating",),
    "safe": ("location safe rating",),
    "effective": ("location effective rating",),
    "caring": ("location caring rating",),
    "responsive": ("location responsive rating",),
    "well_led": ("location well-led rating", "location well led rating"),
}
SERVICE_TYPE_PREFIX = "service type - "
KEY_QUESTION_COLUMNS = ("safe", "effective", "caring", "responsive", "well_led")


@dataclass(frozen=True)
class BulkTable:
    source: str
    header: list[str]
    header_row: int                 # 1-based row of the header in the file or sheet
    rows: list[list[Any]]


def _norm(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().lower()


def _find_header(cells: list[list[Any]]) -> int | None:
    for i, row in enumerate(cells[:HEADER_SCAN_ROWS]):
        if any(_norm(c) == LOCATION_ID for c in row):
            return i
    return None


def _csv_rows(path: Path, data: bytes) -> list[list[Any]]:
    if b"\x00" in data[:65536]:
        raise UnknownSourceFormat(f"is binary, not text; expected {EXPECTED}", source=str(path))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise UnknownSourceFormat(f"is not text; expected {EXPECTED}", source=str(path))
    try:
        return list(csv.reader(io.StringIO(decoded, newline="")))
    except csv.Error as exc:
        raise UnknownSourceFormat(f"is not a readable CSV ({exc}); expected {EXPECTED}",
                                  source=str(path)) from None


def _sheet_rows(path: Path) -> tuple[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own types for every kind of damage
        raise UnknownSourceFormat(f"cannot be read as a spreadsheet ({exc}); expected {EXPECTED}",
                                  source=str(path)) from None
    names = list(book.sheet_names)
    by_norm = {_norm(n): n for n in names}
    ordered = [by_norm[p] for p in PREFERRED_SHEETS if p in by_norm] + names
    for name in dict.fromkeys(ordered):
        cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if _find_header(cells) is not None:
            return name, cells
    raise MissingColumns(f"no sheet has a 'Location ID' column in its first {HEADER_SCAN_ROWS} rows "
                         f"(sheets: {', '.join(names)}); expected {EXPECTED}", source=str(path))


def read_bulk_table(path: Path, limits: InputLimits) -> BulkTable:
    """The file's header and rows, after the file is measured against `limits` (a spreadsheet's
    zip directory before it is expanded, a text file's lines, header and cells as it is read)."""
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(f"is empty; expected {EXPECTED}", source=str(path))
    if data[:4] == b"PK\x03\x04" and not zipfile.is_zipfile(path):
        raise UnknownSourceFormat(f"starts like a spreadsheet (XLSX/ODS) but is damaged; expected "
                                  f"{EXPECTED}", source=str(path))
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # zip, .xls
        if data[:4] == b"PK\x03\x04":
            check_zip(path, limits)
        sheet, cells = _sheet_rows(path)
        where = f"{path} sheet {sheet}"
        if len(cells) > limits.max_rows + 1:
            raise refuse(where, f"it has more than {limits.max_rows:,} rows", "max_rows", limits.max_rows)
    else:
        meter = TextMeter(limits, str(path))
        for start in range(0, len(data), 1 << 22):   # in the blocks `tabular_read.scan` reads
            meter.feed(data[start:start + (1 << 22)])
        meter.finish()
        cells, where = _csv_rows(path, data), str(path)
    at = _find_header(cells)
    if at is None:
        raise MissingColumns(f"has no 'Location ID' column in its first {HEADER_SCAN_ROWS} rows; "
                             f"expected {EXPECTED}", source=where)
    if len(cells[at]) > limits.max_columns:  # a banner above it: the meter measured the banner's line
        raise refuse(where, f"its header has {len(cells[at]):,} columns", "max_columns", limits.max_columns)
    header = [text(h) or "" for h in cells[at]]
    rows = [r for r in cells[at + 1:] if any(text(c) for c in r)]
    return BulkTable(where, header, at + 1, rows)


def _column_index(header: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """(canonical field -> column, service type name -> one-hot column)."""
    positions: dict[str, int] = {}
    for i, h in enumerate(header):
        positions.setdefault(_norm(h), i)
    fields = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in positions:
                fields[name] = positions[spelling]
                break
    one_hot = {h[len(SERVICE_TYPE_PREFIX):]: i for h, i in positions.items()
               if h.startswith(SERVICE_TYPE_PREFIX)}
    return fields, one_hot


def staged_rows(table: BulkTable) -> list[StagedLocation]:
    fields, one_hot = _column_index(table.header)
    # The ASC locations file's Publication Date repeats the HSCA start date: not a rating date.
    has_key_questions = any(k in fields for k in KEY_QUESTION_COLUMNS)
    out = []
    for n, row in enumerate(table.rows, start=1):
        def get(name: str, row: list[Any] = row) -> Any:
            i = fields.get(name)
            return row[i] if i is not None and i < len(row) else None

        raw = {h or f"column_{i + 1}": _raw_text(row[i] if i < len(row) else None)
               for i, h in enumerate(table.header)}
        out.append(_staged(n, raw, get, one_hot, row, undated=has_key_questions,
                           columns=fields.keys()))
    return out


def _raw_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _staged(n: int, raw: dict[str, Any], get, one_hot: dict[str, int], row: list[Any], *,
            undated: bool, columns: Iterable[str]) -> StagedLocation:
    service_types = [name for name, i in one_hot.items()
                     if i < len(row) and (text(row[i]) or "").upper() == "Y"]
    if not one_hot and get("service_types"):
        service_types = [s.strip() for s in str(get("service_types")).split(",") if s.strip()]
    manager = text(get("registered_manager"))
    rating_date = None if undated else get("publication_date")
    overall = get("overall")
    ratings = [RawRating("overall", overall if text(overall) else "No published rating",
                         rating_date if text(overall) else None, None, "Location Latest Overall Rating")]
    for kq in KEY_QUESTION_COLUMNS:
        if text(get(kq)):
            ratings.append(RawRating(kq, get(kq), rating_date, None, f"Location {kq} rating"))
    fields = {name: get(name) for name in (
        "location_id", "provider_id", "location_name", "care_home", "beds", "local_authority",
        "region", "postcode", "latitude", "longitude", "registration_status", "registration_date",
        "deregistration_date", "dormant", "primary_inspection_category",
        "dual_registration_primary_id", "brand_id", "brand_name")}
    # The Registered manager column names the manager; blank means none in post.
    fields["has_registered_manager"] = (manager is not None) if "registered_manager" in columns else None
    if "care_home" not in columns:  # the ASC locations file has no flag: its service types decide
        fields["care_home"] = vocab.provides_care_home_service(service_types)
    return StagedLocation(
        row_number=n, raw=raw, fields=fields, service_types=service_types, specialisms=None,
        ratings=ratings, blank_flags_false=True,
        provider={"provider_name": get("provider_name"), "ownership_type": get("ownership_type"),
                  "companies_house_number": get("companies_house_number")},
    )
