"""Write returns, fee rates and benchmarks as the CSV and XLSX files providers and councils send.

Headers are the canonical column names of the warehouse tables (sql/migrations/010_returns.sql),
or, in some files, the NHS Capacity Tracker's spellings. Periods are written `YYYY-MM`, dates
`DD/MM/YYYY`, timestamps `DD/MM/YYYY HH:MM`, flags `Yes`/`No` (`Y`/`N` in Capacity Tracker files).
Faults are written as a person would type them. Every writer is deterministic: the same frame
gives the same bytes (XLSX included: zip entry times and document dates are fixed).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import polars as pl

from market_oversight.demo.observe import CARE_HOME_COLUMNS, HOME_CARE_COLUMNS

# Capacity Tracker column names (see realdata/PROVENANCE.md), where one maps to one of ours.
CAPACITY_TRACKER_NAMES = {
    "care_home": {
        "location_id": "cqcid", "beds": "maxcapacity", "occupied_beds": "usedbeds",
        "accepting_admissions": "isacceptingadmissions", "nurses_employed": "nursesemployed",
        "care_workers_employed": "careworkersemployed", "hours_paid": "hourspaid",
        "agency_hours": "hoursagency", "overtime_hours": "hoursovertime",
        "absence_hours": "hoursabsence", "submitted_at": "lastupdatedutc",
    },
    "home_care": {
        "location_id": "cqcid", "people_self_funded": "usersselffunded",
        "hours_delivered": "hourspaiddomcare", "agency_hours": "hoursagencydomcare",
        "care_workers_employed": "cqccareworkersemployed",
        "packages_handed_back_pct": "returnedpocpercent",
        "can_take_more_hours": "canprovidermorehours", "extra_hours_available": "extrahourscount",
        "submitted_at": "lastupdatedutc",
    },
}
_COUNT_COLUMNS = {"care_home": ("leavers", "complaints", "staff_vacancies", "safeguarding_concerns"),
                  "home_care": ("leavers", "complaints", "vacancies", "missed_visits")}
_NUMBER_COLUMNS = {"care_home": ("occupied_beds", "hours_paid", "agency_staff", "staff_vacancies"),
                   "home_care": ("hours_delivered", "care_workers_employed", "people_council")}
_TYPED_TEXT = ("n/a", "TBC", "see email", "unknown", "-")
_FIXED_ZIP_TIME = (2026, 10, 31, 0, 0, 0)
_FIXED_DOC_TIME = "2026-10-31T00:00:00Z"


def returns_text(frame: pl.DataFrame, kind: str, location_ids: np.ndarray, first_month: int,
                 rng: np.random.Generator) -> pl.DataFrame:
    """The rows as text, exactly as they will be written, with each row's fault typed in."""
    from market_oversight.demo.scales import month_start

    columns = CARE_HOME_COLUMNS if kind == "care_home" else HOME_CARE_COLUMNS
    periods = pl.Series([month_start(first_month + i).strftime("%Y-%m") for i in range(int(frame["t"].max()) + 1)])
    text = frame.with_columns(
        pl.Series("location_id", location_ids[frame["loc"].to_numpy()]),
        periods.gather(frame["t"]).alias("period"),
        pl.col("submitted_at").dt.strftime("%d/%m/%Y %H:%M"),
        *[pl.when(pl.col(c)).then(pl.lit("Yes")).otherwise(pl.lit("No")).alias(c)
          for c in columns if frame.schema.get(c) == pl.Boolean],
    ).select(*columns, "fault").with_columns(pl.all().cast(pl.String))
    return _type_faults(text, kind, rng).select(columns)


def _type_faults(text: pl.DataFrame, kind: str, rng: np.random.Generator) -> pl.DataFrame:
    rows = np.flatnonzero(text["fault"].is_not_null().to_numpy())
    if not len(rows):
        return text
    edits: dict[str, tuple[list[int], list[str]]] = {}

    def put(column: str, row: int, value: str) -> None:
        edits.setdefault(column, ([], []))
        edits[column][0].append(row)
        edits[column][1].append(value)

    for r in rows.tolist():
        f = text["fault"][r]
        if f == "negative_count":
            c = _COUNT_COLUMNS[kind][rng.integers(len(_COUNT_COLUMNS[kind]))]
            put(c, r, f"-{max(int(float(text[c][r])), 1)}")
        elif f == "over_capacity" and kind == "care_home":
            put("occupied_beds", r, str(int(text["beds"][r]) + int(rng.integers(1, 6))))
        elif f == "over_capacity":
            put("agency_hours", r, f"{float(text['hours_delivered'][r]) * 1.3 + 5:.1f}")
        elif f == "text_in_number":
            c = _NUMBER_COLUMNS[kind][rng.integers(len(_NUMBER_COLUMNS[kind]))]
            put(c, r, _TYPED_TEXT[rng.integers(len(_TYPED_TEXT))])
        elif f == "unknown_location":
            put("location_id", r, f"1-7{rng.integers(10**8, 10**9)}")
    return text.with_columns(text[c].scatter(idx, pl.Series(vals, dtype=pl.String))
                             for c, (idx, vals) in sorted(edits.items()))


def capacity_tracker_spelling(text: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The same rows under the Capacity Tracker's names, flags as Y/N."""
    flags = [c for c in ("accepting_admissions", "can_take_more_hours") if c in text.columns]
    text = text.with_columns(pl.col(c).replace({"Yes": "Y", "No": "N"}) for c in flags)
    return text.rename({k: v for k, v in CAPACITY_TRACKER_NAMES[kind].items() if k in text.columns})


def write_csv(text: pl.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text.write_csv(path, null_value="", line_terminator="\n")
    return path


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def write_xlsx(text: pl.DataFrame, path: Path, sheet: str = "Return") -> Path:
    """One sheet: the header, then the rows; numbers as numbers, everything else as typed."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(text.columns)
    for row in text.iter_rows():
        ws.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def _cell(value: str | None) -> object:
    if value is None or value == "":
        return None
    if _NUMBER.match(value) and not (len(value) > 1 and value.startswith("0") and "." not in value):
        return float(value) if "." in value else int(value)
    return value


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed entry times and document dates, so its bytes depend only on
    its content (openpyxl stamps the current time into both)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms)",
                              rb"\g<1>" + _FIXED_DOC_TIME.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def write_table(text: pl.DataFrame, path: Path) -> Path:
    return write_xlsx(text, path) if path.suffix == ".xlsx" else write_csv(text, path)
