"""Bad input: generated return, fee and CQC files thrown at the importers (hypothesis).

Every file ends one of two ways: a named error (a MarketOversightError, which the CLI prints as one
line) with the warehouse unchanged, or a batch whose counts account for every row read
(rows_read = loaded + quarantined), recorded as such in the warehouse's ingest_batches (a file
already loaded leaves the warehouse unchanged). Never another exception (a traceback). The
examples are derandomized, so a failure found once is found again on every run.
A kill part-way through a load (never half-loaded) is tests/access/test_faults.py's job."""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from market_oversight import store
from market_oversight.contracts import contracts_for
from market_oversight.errors import MarketOversightError
from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions, ingest_file
from tests.access.conftest import content_hashes

pytestmark = pytest.mark.slow
# The SQL compilation of each contract judges the files here: the same rules as Great Expectations,
# without its seconds per file (the returns tests cover the GX judge).
SQL_JUDGE = IngestOptions.from_settings(settings_from(None), judge="sql")
EXAMPLES = settings(max_examples=int(os.environ.get("MARKET_OVERSIGHT_FUZZ_EXAMPLES", "10")), deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

CQC_HEADER = ["Location ID", "Location Name", "Care home?", "Care homes beds", "Location HSCA start date",
              "Location Local Authority", "Location Latest Overall Rating", "Publication Date",
              "Provider ID", "Provider Name", "Location Postal Code"]

# Cell values that break types and ranges: huge, negative, not numbers, dates that are not, text in
# odd scripts, quotes, formula-looking text, control characters.
nasty_cells = st.one_of(
    st.sampled_from(["", " ", "NULL", "n/a", "-1", "0", "1e308", "-1e308", "NaN", "inf", "1" * 40,
                     "9223372036854775808", "£1,000,000.00", "31/02/2025", "2025-13-45", "0000-00-00",
                     "=1+1", "=cmd|' /C calc'!A0", "@SUM(A1)", '"', '""quoted""', "a,b", "line\nbreak",
                     "Ṁüłţí scrípt", "日本語", "\u202eevil", "\x01\x02", "Y", "N", "Good", "Inadequate"]),
    st.text(alphabet=string.printable, max_size=30),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v
    return "\n".join(",".join(cell(v) for v in r) for r in [header, *rows]) + "\n"


def _files(header: list[str], first_cells: st.SearchStrategy) -> st.SearchStrategy[bytes]:
    """A mix of file families: plausible header with nasty values, in odd encodings; wrong columns;
    very wide; binary junk; empty; a header with no rows."""
    width = len(header)
    rows = st.lists(st.lists(nasty_cells, min_size=width, max_size=width).flatmap(
        lambda cells: first_cells.map(lambda first: [first, *cells[1:]])), min_size=1, max_size=30)
    plausible = rows.map(lambda r: _csv(header, r))
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])

    def encode(text: str, encoding: str) -> bytes:
        return text.encode(encoding, errors="replace")

    wrong_columns = st.lists(st.text(alphabet=string.ascii_letters + " _", min_size=1, max_size=12),
                             min_size=1, max_size=8, unique=True).flatmap(
        lambda h: st.lists(st.lists(nasty_cells, min_size=len(h), max_size=len(h)), max_size=10)
        .map(lambda r: _csv(h, r).encode()))
    wide = st.integers(min_value=200, max_value=2000).map(
        lambda n: _csv(header + [f"extra {i}" for i in range(n)],
                       [["1-1"] + ["x"] * (width - 1 + n)]).encode())
    junk = st.binary(min_size=0, max_size=2000)
    empty = st.sampled_from([b"", b"\n\n", b"   ", b"\xef\xbb\xbf", _csv(header, []).encode()])
    return st.one_of(st.tuples(plausible, encodings).map(lambda t: encode(*t)), wrong_columns,
                     wide, junk, empty)


def _check(db: Path, path: Path, load) -> None:
    before = content_hashes(db)
    try:
        result = load(db, path)
    except MarketOversightError as exc:
        assert str(exc).strip(), "an error with no message"
        assert content_hashes(db) == before, "a refused file changed the warehouse"
        return
    assert result.rows_read == result.rows_loaded + result.rows_quarantined, result
    if result.status == "already_loaded":
        assert content_hashes(db) == before
        return
    with store.warehouse(db, read_only=True, publish=False) as con:
        recorded = con.execute("select rows_read, rows_loaded, rows_quarantined from ingest_batches "
                               "where batch_id = $b", {"b": result.batch_id}).fetchone()
    assert recorded == (result.rows_read, result.rows_loaded, result.rows_quarantined)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bad_input") / "warehouse.duckdb"
    with store.warehouse(db):
        pass
    return db


location_ids = st.one_of(st.sampled_from(["1-101", "1-102", "1-1000000001"]), nasty_cells)


@EXAMPLES
@given(data=_files(CQC_HEADER, location_ids))
def test_cqc_files(warehouse: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("cqc") / "cqc_file.csv"
    path.write_bytes(data)
    _check(warehouse, path, lambda db, p: ingest_cqc(db, str(p)))


@EXAMPLES
@given(kind=st.sampled_from(["returns", "fees", "benchmarks"]), seed=st.data())
def test_return_fee_and_benchmark_files(warehouse: Path, tmp_path_factory: pytest.TempPathFactory,
                                        kind: str, seed: st.DataObject) -> None:
    contract = seed.draw(st.sampled_from(contracts_for(kind)))
    header = list(contract.columns)
    data = seed.draw(_files(header, location_ids))
    path = tmp_path_factory.mktemp(kind) / f"{kind}_file.csv"
    path.write_bytes(data)
    _check(warehouse, path, lambda db, p: ingest_file(db, kind, p, options=SQL_JUDGE))


def test_a_very_long_file_is_fully_accounted_for(warehouse: Path, tmp_path: Path) -> None:
    (contract,) = [c for c in contracts_for("fees")]
    header = list(contract.columns)
    rows = [["1-101" if i % 2 else "bad id", "", "nursing" if i % 3 else "spa days", f"{i}.5", "week",
             "2025-04-01", "", "council"][: len(header)] for i in range(30_000)]
    path = tmp_path / "long_fees.csv"
    path.write_text(_csv(header, rows), encoding="utf-8")
    _check(warehouse, path, lambda db, p: ingest_file(db, "fees", p, options=SQL_JUDGE))
