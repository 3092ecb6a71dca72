"""Returns tests: a small register written in code into a real DuckDB file, and helpers that write
returns, fees and benchmarks files the way providers send them (CSV in several encodings, XLSX)."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from market_oversight import store
from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions

TODAY = date(2026, 11, 20)          # 'the future' in these tests starts after this day
SQL_JUDGE = IngestOptions.from_settings(settings_from(None), judge="sql", today=TODAY)
GX_JUDGE = IngestOptions.from_settings(settings_from(None), judge="gx", today=TODAY)

# (location_id, provider_id, service_kind, registered)
REGISTER = (
    ("1-101", "P-1", "care_home", date(2015, 1, 1)),
    ("1-102", "P-1", "care_home", date(2015, 1, 1)),
    ("1-201", "P-2", "home_care", date(2015, 1, 1)),
    ("1-202", "P-2", "home_care", date(2015, 1, 1)),
)


def write_register(db: Path) -> None:
    with store.warehouse(db, publish=False) as con, store.transaction(con):
        for pid in sorted({r[1] for r in REGISTER}):
            con.execute("insert into cqc_providers (provider_id, provider_name, snapshot_date, batch_id) "
                        "values ($p, $n, $d, 'test')", {"p": pid, "n": f"Provider {pid}", "d": TODAY})
        for loc, pid, kind, registered in REGISTER:
            con.execute(
                "insert into cqc_locations (location_id, provider_id, location_name, care_home, service_kind, "
                "local_authority, registration_status, registration_date, snapshot_date, batch_id) values "
                "($l, $p, $n, $c, $k, 'Kingsmere', 'Registered', $r, $d, 'test')",
                {"l": loc, "p": pid, "n": f"Home {loc}", "c": kind == "care_home", "k": kind,
                 "r": registered, "d": TODAY})


@pytest.fixture(scope="session")
def register_template(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("register") / "register.duckdb"
    write_register(db)
    return db


@pytest.fixture
def db(register_template, tmp_path) -> Path:
    """A fresh warehouse holding only the small register."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(register_template, path)
    return path


def care_home_row(**changes: str) -> list[str]:
    """A care-home return's cells in CARE_HOME's column order, with `changes` made."""
    return [changes.get(h, CARE_HOME[h]) for h in CARE_HOME]


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, encoding: str = "utf-8",
              bom: bool = False, lines_between: dict[int, str] | None = None, line_end: str = "\r\n") -> Path:
    """A CSV file as a spreadsheet would save it; `lines_between` puts raw lines before row i."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else encoding, newline="") as f:
        w = csv.writer(f, lineterminator=line_end)
        w.writerow(header)
        for i, row in enumerate(rows):
            if lines_between and i in lines_between:
                f.write(lines_between[i])
            w.writerow(["" if v is None else v for v in row])
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


CARE_HOME = {
    "location_id": "1-101", "period": "2026-09", "beds": "40", "occupied_beds": "36",
    "vacant_beds_accepting": "3", "accepting_admissions": "Yes", "nurses_employed": "5",
    "care_workers_employed": "30", "agency_staff": "2", "hours_paid": "5,200.5", "agency_hours": "300",
    "overtime_hours": "120", "absence_hours": "80", "staff_vacancies": "3", "leavers": "1",
    "safeguarding_concerns": "0", "complaints": "1", "notifiable_incidents": "0",
    "residents_council": "20", "residents_nhs": "4", "residents_self_funded": "12",
    "submitted_at": "09/10/2026 10:30",
}
HOME_CARE = {
    "location_id": "1-201", "period": "2026-09", "people_council": "60", "people_nhs": "5",
    "people_self_funded": "20", "hours_delivered": "3,400", "agency_hours": "100",
    "care_workers_employed": "35", "vacancies": "4", "leavers": "2", "packages_handed_back": "1",
    "packages_handed_back_pct": "1.5", "can_take_more_hours": "Y", "extra_hours_available": "40",
    "missed_visits": "0", "late_visits": "3", "safeguarding_concerns": "0", "complaints": "0",
    "submitted_at": "10/10/2026 09:00",
}
FEE_RATE = {
    "location_id": "1-101", "provider_id": "", "care_category": "residential", "amount": "£812.50",
    "unit": "week", "effective_from": "01/04/2026", "effective_to": "31/03/2027", "funder": "council",
}
BENCHMARK = {
    "financial_year": "2026/27", "care_category": "home_care", "benchmark": "council_usual_rate",
    "amount": "26.10", "unit": "hour", "source": "Kingsmere Council rates 2026/27",
}
BASE_ROWS = {"care_home_returns": CARE_HOME, "home_care_returns": HOME_CARE,
             "fee_rates": FEE_RATE, "benchmarks": BENCHMARK}
COMMAND = {"care_home_returns": "returns", "home_care_returns": "returns",
           "fee_rates": "fees", "benchmarks": "benchmarks"}
