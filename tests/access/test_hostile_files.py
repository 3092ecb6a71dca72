"""Issue 19: generated hostile CSV and XLSX files through `ingest` (hypothesis, derandomized, so
the same examples run every time). Files too wide, too long, with giant cells, huge numbers,
non-numbers, UTF-16, ragged rows, repeated headers, zip bombs, under tight [ingest] limits so
each example is small. Every file ends one of two ways: a named error with the warehouse
unchanged, or a batch with rows_read = loaded + quarantined. Never a traceback; the process's
peak memory stays under 1.5 GB."""

from __future__ import annotations

import csv
import io
import resource
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from market_oversight.config import settings_from
from market_oversight.errors import MarketOversightError
from market_oversight.ingest.tabular import IngestOptions, ingest_file
from tests.access.conftest import content_hashes
from tests.returns.conftest import CARE_HOME, TODAY, write_register

LIMITS = {"max_columns": 40, "max_cell_kilobytes": 2, "max_rows": 60, "max_expanded_megabytes": 1,
          "max_compression_ratio": 50}
OPTIONS = IngestOptions.from_settings(settings_from({"ingest": LIMITS}), judge="sql", today=TODAY)
EXAMPLES = settings(max_examples=16, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HEADER = list(CARE_HOME)

cells = st.one_of(
    st.sampled_from(["0x10", "#DIV/0!", "9" * 40, "99999999999", "-1", "1e308", "NaN", "", " ", "£1,000",
                     "1,000,000", "=HYPERLINK(\"x\")", "\x00", "a,b", "line\nbreak", '"', "日本語", "Yes"]),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
    st.text(max_size=12),
    st.integers(min_value=1, max_value=3).map(lambda k: "x" * (k * 1500)),   # over 2 KB at k = 2, 3
)


@st.composite
def tables(draw) -> tuple[list[str], list[list[str]]]:
    header = list(HEADER)
    if draw(st.booleans()):
        header += [f"extra {i}" for i in range(draw(st.integers(0, 60)))]       # past 40 columns
    if draw(st.integers(0, 4)) == 0:
        header.append(draw(st.sampled_from(HEADER)))                          # a repeated header
    n = draw(st.integers(0, 80))                                               # past 60 rows
    base = draw(st.lists(cells, min_size=len(header), max_size=len(header)))
    rows = []
    for i in range(n):
        row = list(base)
        row[0], row[1] = "1-101", f"{2000 + i // 12}-{i % 12 + 1:02d}"
        if draw(st.integers(0, 5)) == 0:
            row = row[: draw(st.integers(0, len(row) + 3))] + ["z"] * draw(st.integers(0, 3))   # ragged
        rows.append(row)
    return header, rows


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue()


def _xlsx(header: list[str], rows: list[list[str]], pad: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for r in [header, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in r])   # what a spreadsheet can hold
    out = io.BytesIO()
    book.save(out)
    if not pad:
        return out.getvalue()
    bombed = io.BytesIO()                 # a padding part that expands far (a zip bomb's shape)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, zipfile.ZipFile(bombed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/media/pad.bin", bytes(pad))
    return bombed.getvalue()


files = st.one_of(
    st.tuples(tables(), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])).map(
        lambda t: (".csv", _csv(*t[0]).encode(t[1], errors="replace"))),
    st.tuples(tables(), st.sampled_from([0, 0, 200_000, 3_000_000])).map(
        lambda t: (".xlsx", _xlsx(*t[0], pad=t[1]))),
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "warehouse.duckdb"
    write_register(db)
    return db


@pytest.mark.slow
@EXAMPLES
@given(file=files)
def test_a_hostile_file_is_refused_cleanly_or_fully_accounted_for(warehouse, tmp_path_factory, file):
    suffix, data = file
    path = tmp_path_factory.mktemp("file") / f"hostile{suffix}"
    path.write_bytes(data)
    before = content_hashes(warehouse)
    try:
        result = ingest_file(warehouse, "returns", path, options=OPTIONS)
    except MarketOversightError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip(), str(exc)
        assert content_hashes(warehouse) == before, "a refused file changed the warehouse"
    else:
        assert result.rows_read == result.rows_loaded + result.rows_quarantined, result
    # loaded or refused, the process's peak memory so far
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1536 * 1024   # kilobytes
