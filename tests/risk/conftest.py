"""A hand-made warehouse for the risk tests: a real DuckDB file, rows written in code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from market_oversight import store
from market_oversight.risk import engine
from market_oversight.risk.thresholds import Thresholds, load_thresholds
from tests.demo_cache import copy_warehouse

CH_DEFAULTS: dict[str, Any] = dict(
    beds=40, occupied_beds=36, vacant_beds_accepting=4, accepting_admissions=True, nurses_employed=5,
    care_workers_employed=35, agency_staff=0, hours_paid=6000.0, agency_hours=0.0, overtime_hours=0.0,
    absence_hours=0.0, staff_vacancies=0, leavers=0, safeguarding_concerns=0, complaints=0,
    notifiable_incidents=0, residents_council=12, residents_nhs=4, residents_self_funded=20,
)
HC_DEFAULTS: dict[str, Any] = dict(
    people_council=30, people_nhs=5, people_self_funded=15, hours_delivered=4000.0, agency_hours=0.0,
    care_workers_employed=40, vacancies=0, leavers=0, packages_handed_back=0,
    packages_handed_back_pct=0.0, can_take_more_hours=True, extra_hours_available=50.0,
    missed_visits=0, late_visits=0, safeguarding_concerns=0, complaints=0,
)


def month(d: date, back: int) -> date:
    """First day of the month `back` months before d's month."""
    y, m = divmod(d.year * 12 + d.month - 1 - back, 12)
    return date(y, m + 1, 1)


@dataclass
class HandMade:
    path: Path
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> None:
        self.rows.setdefault(table, []).append(row)

    def location(self, location_id: str, *, kind: str = "care_home", provider_id: str = "P1",
                 beds: int | None = 40, la: str = "Oldham", registered: date = date(2015, 1, 1),
                 deregistered: date | None = None, manager: bool = True,
                 manager_absent_since: date | None = None, brand: str | None = None,
                 service_types: list[str] | None = None, specialisms: list[str] | None = None,
                 snapshot: date = date(2020, 1, 1), rated: date | None = date(2025, 6, 1),
                 latitude: float | None = None, longitude: float | None = None,
                 icb: str | None = None) -> None:
        """A registered location; rated Good on `rated` unless None (so that it is not overdue)."""
        self.add("cqc_locations", location_id=location_id, provider_id=provider_id,
                 location_name=f"Home {location_id}", care_home=kind == "care_home", service_kind=kind,
                 beds=beds if kind == "care_home" else None, local_authority=la, region="North West",
                 registration_status="Deregistered" if deregistered else "Registered",
                 registration_date=registered, deregistration_date=deregistered,
                 has_registered_manager=manager and manager_absent_since is None,
                 registered_manager_absent_date=manager_absent_since, service_types=service_types or [],
                 specialisms=specialisms or [], snapshot_date=snapshot, batch_id="b-cqc",
                 brand_id=brand, brand_name=f"BRAND {brand}" if brand else None,
                 latitude=latitude, longitude=longitude, icb_name=icb)
        if rated:
            self.rating(location_id, rated, "Good")

    def rating(self, location_id: str, report_date: date, overall: str, **others: str) -> None:
        self.add("cqc_ratings", location_id=location_id, report_date=report_date,
                 key_question="overall", rating=overall, batch_id="b-cqc")
        for kq, rating in others.items():
            self.add("cqc_ratings", location_id=location_id, report_date=report_date,
                     key_question=kq, rating=rating, batch_id="b-cqc")

    def care_home_return(self, location_id: str, period: date, *, submitted: datetime | None = None,
                         **values: Any) -> None:
        row = CH_DEFAULTS | values
        self.add("care_home_returns", location_id=location_id, period=period,
                 submitted_at=submitted or datetime(period.year + (period.month == 12),
                                                    period.month % 12 + 1, 5, 9),
                 batch_id="b-ret", row_number=len(self.rows.get("care_home_returns", [])) + 1, **row)

    def home_care_return(self, location_id: str, period: date, *, submitted: datetime | None = None,
                         **values: Any) -> None:
        row = HC_DEFAULTS | values
        self.add("home_care_returns", location_id=location_id, period=period,
                 submitted_at=submitted or datetime(period.year + (period.month == 12),
                                                    period.month % 12 + 1, 5, 9),
                 batch_id="b-ret", row_number=len(self.rows.get("home_care_returns", [])) + 1, **row)

    def months_of_returns(self, location_id: str, as_of: date, months: int = 12, **values: Any) -> None:
        for back in range(1, months + 1):
            self.care_home_return(location_id, month(as_of, back), **values)

    def build(self) -> Path:
        casework = {t: r for t, r in self.rows.items() if t in store.CASEWORK_TABLES}
        if casework:
            with store.casework(self.path) as cw:
                _insert(cw, casework)
        with store.warehouse(self.path, publish=False) as con:
            _insert(con, {t: r for t, r in self.rows.items() if t not in casework})
            for table in ("care_home_returns", "home_care_returns"):   # fixed names
                # as the returns loader leaves them: every version but the latest marked superseded,
                # when the next one arrived
                con.execute(f"""
                    update {table} as r set superseded_at = n.next_at, superseded_by_batch = 'b-ret'
                    from (select location_id, period, row_number,
                                 lead(submitted_at) over (partition by location_id, period
                                                          order by submitted_at, row_number) as next_at
                          from {table}) as n
                    where r.superseded_at is null and n.next_at is not null and r.location_id = n.location_id
                      and r.period = n.period and r.row_number = n.row_number""")
        self.rows.clear()
        return self.path

    def score(self, as_of: date, thresholds: Thresholds | None = None) -> dict[str, dict[str, dict]]:
        """Flags per location at as_of, computed (not stored): {location: {flag: row}}."""
        self.build()
        with store.warehouse(self.path, publish=False) as con:
            engine.compute(con, as_of, thresholds or load_thresholds())
            rows = store.frame(con, "select * from stage_scaled_flags").to_dicts()
        out: dict[str, dict[str, dict]] = {}
        for r in rows:
            out.setdefault(r["location_id"], {})[r["flag"]] = r
        return out

    def flags(self, location_id: str, as_of: date, thresholds: Thresholds | None = None) -> dict[str, dict]:
        return self.score(as_of, thresholds).get(location_id, {})


def _insert(con: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Every row in one transaction (a commit per row made the risk tests several times slower)."""
    with store.transaction(con):
        for table, items in rows.items():
            for row in items:
                cols = list(row)
                con.execute(
                    f"insert into {table} ({', '.join(cols)}) values ({', '.join('$' + c for c in cols)})",
                    row,
                )


@pytest.fixture
def wh(tmp_path: Path, empty_warehouse: Path) -> HandMade:
    """A hand-made warehouse, starting from a copy of the migrated empty one."""
    return HandMade(copy_warehouse(empty_warehouse, tmp_path / "warehouse.duckdb"))
