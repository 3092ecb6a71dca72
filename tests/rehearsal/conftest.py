"""A hand-made market for failure rehearsals: a brand of three services in two councils, and
around them homes and agencies that can or cannot take their people (a real DuckDB file)."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.demo_cache import copy_warehouse
from tests.risk.conftest import HandMade

LATEST = date(2026, 9, 1)
EARLIER = date(2026, 8, 1)
BASE = (53.50, -2.10)            # F1; everything else sits due north of it
KM_PER_DEGREE = 6371.0088 * math.pi / 180


def north(km: float) -> tuple[float, float]:
    return BASE[0] + km / KM_PER_DEGREE, BASE[1]


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


RESIDENTIAL = ["Care home service without nursing"]
NURSING = ["Care home service with nursing"]
DOMICILIARY = ["Domiciliary care service"]
# where each service is, km north of F1
PLACES = {"F1": 0.0, "F2": 0.5, "F3": 8.0, "D1": 2.0, "D2": 5.0, "D3": 5.0, "D4": 1.0, "D5": 50.0,
          "D6": 3.0, "D7": 1.5, "D8": 1.0, "D9": 12.0, "D10": 8.5, "D11": 9.0}


def coordinates(location_id: str) -> tuple[float, float]:
    return north(PLACES[location_id])


def _home(wh: HandMade, location_id: str, *, rag: str, provider: str = "PD", brand: str | None = None,
          la: str = "Oldham", types: list[str] = RESIDENTIAL, specialisms: list[str] | None = None,
          kind: str = "care_home", rating: str = "Good") -> None:
    lat, lon = coordinates(location_id)
    wh.location(location_id, kind=kind, provider_id=provider, brand=brand, la=la, service_types=types,
                specialisms=specialisms, latitude=lat, longitude=lon, icb="NHS Greater Manchester ICB",
                rated=None)
    wh.rating(location_id, date(2025, 6, 1), rating)
    wh.add("risk_scores", as_of=date(2026, 10, 15), location_id=location_id, likelihood=0.0, impact=0.0,
           computed_rag=rag, flags=[], thresholds_hash="test", scored_at=datetime(2026, 10, 15, 6),
           overall_rating=rating, red_floors=[])


def build_market(wh: HandMade) -> Path:
    """Brand BX: F1 (residential, 30 residents) and F2 (nursing, 20) of provider PF in Oldham, and
    F3 (home care, 50 people, 520 hours in the month = 120 a week) of provider PG in Rochdale; a
    deregistered BX home. Around them, destinations D1-D11, some of which must not be chosen."""
    wh.add("cqc_providers", provider_id="PD", provider_name="=HYPERLINK(\"http://x\")", snapshot_date=date(2026, 10, 1),
           batch_id="b-cqc")
    _home(wh, "F1", rag="red", provider="PF", brand="BX")
    _home(wh, "F2", rag="amber", provider="PF", brand="BX", types=NURSING)
    _home(wh, "F3", rag="green", provider="PG", brand="BX", la="Rochdale", kind="home_care", types=DOMICILIARY)
    wh.location("FX", provider_id="PF", brand="BX", deregistered=date(2024, 1, 1), latitude=BASE[0], longitude=BASE[1])
    # an older return with other figures: the latest one counts
    wh.care_home_return("F1", EARLIER, occupied_beds=39, residents_council=20, residents_nhs=9, residents_self_funded=10)
    wh.care_home_return("F1", LATEST, occupied_beds=30, residents_council=12, residents_nhs=3, residents_self_funded=15,
                        vacant_beds_accepting=0, accepting_admissions=False)
    wh.care_home_return("F2", LATEST, occupied_beds=20, residents_council=8, residents_nhs=10, residents_self_funded=2,
                        vacant_beds_accepting=3)
    wh.home_care_return("F3", LATEST, people_council=30, people_nhs=5, people_self_funded=15, hours_delivered=520.0,
                        extra_hours_available=40.0)
    _destinations(wh)
    return wh.build()


def _destinations(wh: HandMade) -> None:
    _home(wh, "D1", rag="green")                                   # 2 km, 5 beds
    _home(wh, "D2", rag="amber")                                   # 5 km, 10 beds
    _home(wh, "D3", rag="green", rating="Requires improvement")    # 5 km as D2, green: before it
    _home(wh, "D4", rag="red")                                     # 1 km, red: never a destination
    _home(wh, "D5", rag="green")                                   # 50 km: beyond reach
    _home(wh, "D6", rag="green", types=NURSING)                    # 3 km, 8 nursing beds
    _home(wh, "D7", rag="green")                                   # 1.5 km, not accepting admissions
    _home(wh, "D8", rag="green", specialisms=["Dementia"])         # 1 km, dementia: another category
    for location_id, beds in (("D1", 5), ("D2", 10), ("D3", 4), ("D4", 20), ("D5", 30), ("D6", 8), ("D8", 10)):
        wh.care_home_return(location_id, LATEST, vacant_beds_accepting=beds)
    wh.care_home_return("D7", LATEST, vacant_beds_accepting=6, accepting_admissions=False)
    for location_id, rag in (("D9", "amber"), ("D10", "red"), ("D11", "green")):
        _home(wh, location_id, rag=rag, la="Rochdale", kind="home_care", types=DOMICILIARY)
    wh.home_care_return("D9", LATEST, extra_hours_available=50.0)
    wh.home_care_return("D10", LATEST, extra_hours_available=500.0)
    wh.home_care_return("D11", LATEST, can_take_more_hours=False, extra_hours_available=80.0)


@pytest.fixture
def market(tmp_path: Path, empty_warehouse: Path) -> Path:
    return build_market(HandMade(copy_warehouse(empty_warehouse, tmp_path / "warehouse.duckdb")))
