"""Issue 19, rows 1 and 10: bounded resources for every input.

Each hostile file goes through the real CLI (`market-oversight ingest returns`) in a process whose
address space is capped at 1.5 GB (resource.setrlimit), so a regression fails here instead of
taking the machine down: the file is refused before it is parsed, with one line naming the file
and the limit by name and value, and the warehouse is unchanged. The upload page's loader passes
on the same line."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from market_oversight import upload_ingest
from market_oversight.errors import UploadError
from market_oversight.paths import PROJECT_ROOT
from market_oversight.roles import Role, User
from tests.access.conftest import content_hashes
from tests.returns.conftest import CARE_HOME, write_register

CAP_BYTES = 1536 * 1024 * 1024
OFFICER = User("dana@council.example", "Dana", Role.DATA_OFFICER)


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


def ingest_capped(db: Path, path: Path, *extra: str, timeout: float = 90) -> tuple[int, str, str, float]:
    """The CLI under the memory cap: (exit code, stdout, stderr, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "market_oversight", "ingest", "returns", str(path),
                           "--db", str(db), "--json", *extra], env=env, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_capped)
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("limits") / "warehouse.duckdb"
    write_register(db)
    return db


def _refused(db: Path, path: Path, limit: str, *extra: str) -> str:
    before = content_hashes(db)
    rc, out, err, _ = ingest_capped(db, path, *extra)
    assert rc == 2, (rc, out, err[-2000:])
    assert "Traceback" not in err and "duckdb.org" not in err, err[-2000:]
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[-2000:]
    assert lines[0].startswith(f"market-oversight: error: {path}: refused before reading")
    assert limit in lines[0], lines[0]
    assert content_hashes(db) == before, "a refused file changed the warehouse"
    return lines[0]


def _wide_csv(path: Path, columns: int) -> Path:
    header = list(CARE_HOME) + [f"c{i}" for i in range(columns - len(CARE_HOME))]
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        f.write(",".join(list(CARE_HOME.values()) + ["1"] * (columns - len(CARE_HOME))) + "\n")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("columns", [20_000, 100_000, 5_000_000])
def test_a_header_with_thousands_of_columns_is_refused_naming_the_limit(warehouse, tmp_path, columns):
    # given a return whose header has tens of thousands to millions of columns (40 KB to 40 MB)
    path = _wide_csv(tmp_path / "wide.csv", columns)
    # when it is loaded under a 1.5 GB cap, then it is refused in one line naming [ingest] max_columns
    line = _refused(warehouse, path, "[ingest] max_columns = 500")
    assert "columns" in line


def test_a_cell_of_a_megabyte_is_refused_naming_the_limit(warehouse, tmp_path):
    row = dict(CARE_HOME, location_id="1-101" + "x" * (1024 * 1024))
    path = tmp_path / "cell.csv"
    path.write_text(",".join(CARE_HOME) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    _refused(warehouse, path, "[ingest] max_cell_kilobytes = 64")


def test_more_rows_than_the_council_allows_are_refused(warehouse, tmp_path):
    config = tmp_path / "council.toml"
    config.write_text("[ingest]\nmax_rows = 100\n", encoding="utf-8")
    rows = [dict(CARE_HOME, period=f"{2000 + i // 12}-{i % 12 + 1:02d}") for i in range(150)]
    path = tmp_path / "long.csv"
    path.write_text("\n".join([",".join(CARE_HOME), *(",".join(r.values()) for r in rows)]) + "\n",
                    encoding="utf-8")
    _refused(warehouse, path, "[ingest] max_rows = 100", "--config", str(config))


def bomb_xlsx(path: Path, rows: int) -> Path:
    """A valid workbook whose one sheet holds `rows` identical rows: a few MB on disk, hundreds
    expanded (the issue's bomb was 3.3 MB, 684 MB expanded)."""
    cell = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in CARE_HOME.values())
    head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in CARE_HOME)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Returns" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b"<sheetData><row>" + head.encode() + b"</row>")
            chunk = (f"<row>{cell}</row>" * 1000).encode()
            for _ in range(rows // 1000):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


@pytest.mark.slow
def test_a_zip_bomb_is_refused_before_a_byte_is_expanded(warehouse, tmp_path):
    # given an XLSX of a few MB that would expand to about 700 MB
    path = bomb_xlsx(tmp_path / "bomb.xlsx", 1_000_000)
    assert path.stat().st_size < 40 * 1024 * 1024
    assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) > 500 * 1024 * 1024
    # when it is loaded through the CLI under the cap, then it is refused at once, naming the limit
    started = time.monotonic()
    line = _refused(warehouse, path, "[ingest] max_")
    assert time.monotonic() - started < 30
    assert "max_expanded_megabytes = 400" in line or "max_compression_ratio = 200" in line


def test_a_spreadsheet_expanding_past_the_councils_limit_is_refused(warehouse, tmp_path):
    # given a council limit of 1 MB expanded, and an ordinary-looking workbook of 2 MB expanded
    config = tmp_path / "council.toml"
    config.write_text("[ingest]\nmax_expanded_megabytes = 1\n", encoding="utf-8")
    path = bomb_xlsx(tmp_path / "big.xlsx", 4_000)
    # then it is refused naming the expanded size limit
    _refused(warehouse, path, "[ingest] max_expanded_megabytes = 1", "--config", str(config))


def test_the_upload_loader_shows_the_same_line(warehouse, tmp_path):
    # given a wide return saved by the upload page
    path = _wide_csv(tmp_path / "saved-wide.csv", 20_000)
    # when the loader runs the ingest command on it
    with pytest.raises(UploadError) as refused:
        upload_ingest.run_ingest(warehouse, OFFICER, "returns", path, file_name="wide.csv")
    # then the officer sees the limit, named as in the CLI, with the file as uploaded
    message = str(refused.value)
    assert "wide.csv" in message and str(path) not in message
    assert "its header has 20,000 columns; the limit is [ingest] max_columns = 500" in message
    assert "duckdb.org" not in message


def test_the_load_sets_duckdbs_memory_limit_and_temp_directory(tmp_path, monkeypatch):
    # given a warehouse, and a record of the settings each statement of the load runs under
    import duckdb

    from market_oversight.config import settings_from
    from market_oversight.ingest import tabular
    from tests.returns.conftest import write_csv

    db = tmp_path / "w.duckdb"
    write_register(db)
    seen: list[tuple[str, str]] = []
    original = tabular._store

    def spy(con: duckdb.DuckDBPyConnection, *args, **kwargs):
        seen.append(con.execute("select current_setting('memory_limit'), current_setting('temp_directory')").fetchone())
        return original(con, *args, **kwargs)

    monkeypatch.setattr(tabular, "_store", spy)
    # when the load runs as a job with [jobs] 700 MB and a spill folder
    import os

    from market_oversight import cli, store

    settings = settings_from({"jobs": {"memory_limit_megabytes": 700, "temp_directory": str(tmp_path / "spill"),
                                       "niceness": os.nice(0)}})
    path = write_csv(tmp_path / "r.csv", list(CARE_HOME), [list(CARE_HOME.values())])
    store.run_as_job(cli.job_limits(settings))
    try:
        tabular.ingest_file(db, "returns", path, settings=settings)
    finally:
        store.run_as_job(None)
    # then DuckDB ran it with 700 MB and the spill folder configured
    (memory, spill), = seen
    assert memory.startswith(("667", "700")) and spill == str(tmp_path / "spill")
