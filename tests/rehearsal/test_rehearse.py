"""Failure rehearsal on the hand-made market (tests/rehearsal/conftest.py): who is affected, where
they could go, the shortfall and who to tell."""

from __future__ import annotations

from pathlib import Path

import pytest

from market_oversight import store
from market_oversight.errors import NotFound, RehearsalError
from market_oversight.rehearsal.plan import rehearse
from tests.rehearsal.conftest import coordinates, haversine


def run(db: Path, scope: str, id: str, km: float = 20.0):
    with store.warehouse(db, read_only=True) as con:
        return rehearse(con, scope, id, km)


def test_a_brand_covers_every_registered_location_of_the_brand_whoever_the_provider(market: Path) -> None:
    result = run(market, "brand", "BX")
    assert sorted(result.locations["location_id"]) == ["F1", "F2", "F3"]   # FX is deregistered
    assert result.name == "BRAND BX"


def test_a_provider_covers_its_locations_and_a_location_itself(market: Path) -> None:
    assert sorted(run(market, "provider", "PF").locations["location_id"]) == ["F1", "F2"]
    assert run(market, "location", "F2").locations["location_id"].to_list() == ["F2"]


def test_people_come_from_each_services_latest_return_by_funder_and_kind(market: Path) -> None:
    people = run(market, "brand", "BX").people
    assert people["by_funder"] == {"council": 12 + 8 + 30, "other_councils": 0, "nhs": 3 + 10 + 5,
                                   "self_funded": 15 + 2 + 15, "not_known": 0}
    assert people["by_kind"] == {"residential": 30, "nursing": 20, "dementia": 0, "home_care": 50}
    assert people["totals"]["home_care_hours_a_week"] == pytest.approx(520 * 12 / 52)


def test_destinations_are_the_same_category_within_reach_not_red_nearest_then_best_rag(market: Path) -> None:
    result = run(market, "brand", "BX")
    dest = result.destinations
    # D4 is red, D5 50 km away, D7 not accepting admissions, D8 a dementia home, D10 red, D11 full
    assert dest["location_id"].to_list() == ["D1", "D6", "D9", "D3", "D2"]   # 2, 2.5, 4, 5, 5 km
    rows = {r["location_id"]: r for r in dest.to_dicts()}
    assert rows["D3"]["rag"] == "green" and rows["D2"]["rag"] == "amber"   # same distance: green first
    assert {k: rows[k]["care_category"] for k in rows} == {
        "D1": "residential", "D6": "nursing", "D3": "residential", "D2": "residential", "D9": "home_care"}
    assert rows["D6"]["nearest_to"] == "F2"
    assert rows["D6"]["distance_km"] == pytest.approx(haversine(coordinates("F2"), coordinates("D6")), abs=0.01)
    assert rows["D9"]["distance_km"] == pytest.approx(4.0, abs=0.01)
    assert {k: rows[k]["offered"] for k in rows} == {"D1": 5, "D6": 8, "D3": 4, "D2": 10, "D9": 50}


def test_the_distance_decides_what_is_within_reach(market: Path) -> None:
    near = run(market, "location", "F1", km=3.0).destinations
    assert near["location_id"].to_list() == ["D1"]
    far = run(market, "location", "F1", km=60.0).destinations
    assert far["location_id"].to_list() == ["D1", "D3", "D2", "D5"]
    assert far.filter(far["location_id"] == "D5")["offered"].item() == 30 - 19


def test_the_shortfall_is_what_the_destinations_within_reach_cannot_take(market: Path) -> None:
    result = run(market, "brand", "BX")
    short = {r["care_category"]: r for r in result.shortfall.to_dicts()}
    assert {c: (r["need"], r["placed"], r["shortfall"], r["unit"]) for c, r in short.items()} == {
        "residential": (30, 19, 11, "beds"), "nursing": (20, 8, 12, "beds"),
        "home_care": (pytest.approx(120), 50, pytest.approx(70), "hours a week")}
    per_location = dict(zip(result.locations["location_id"], result.locations["shortfall"], strict=True))
    assert per_location == {"F1": 11, "F2": 12, "F3": pytest.approx(70)}


def test_who_to_tell_lists_host_councils_the_icb_cqc_and_self_funders_families(market: Path) -> None:
    notify = run(market, "brand", "BX").notify
    rows = [(r["who"], r["organisation"], r["locations"], r["people"]) for r in notify.to_dicts()]
    assert rows == [
        ("Host council", "Oldham", 2, 50), ("Host council", "Rochdale", 1, 50),
        ("Integrated care board", "NHS Greater Manchester ICB", 3, 18),
        ("CQC", "Care Quality Commission", 3, 100),
        ("Families of self-funders", "Oldham", 2, 17), ("Families of self-funders", "Rochdale", 1, 15),
    ]


def test_the_answer_says_what_the_data_are_as_of(market: Path) -> None:
    as_of = run(market, "brand", "BX").as_of
    assert str(as_of["risk_score"]) == "2026-10-15"
    assert str(as_of["oldest_return"]) == str(as_of["newest_return"]) == "2026-09-01"


def test_an_unknown_id_is_a_clear_error(market: Path) -> None:
    with pytest.raises(NotFound, match="no brand with ID 'NOPE'"):
        run(market, "brand", "NOPE")


def test_a_location_with_nothing_to_rehearse_and_a_bad_distance_are_refused(market: Path) -> None:
    with pytest.raises(RehearsalError, match="no registered care home"):
        run(market, "location", "FX")
    with pytest.raises(RehearsalError, match="distance"):
        run(market, "location", "F1", km=0)


def test_a_figure_left_blank_in_the_latest_return_stays_blank(tmp_path: Path, empty_warehouse: Path) -> None:
    from tests.demo_cache import copy_warehouse
    from tests.rehearsal.conftest import EARLIER, LATEST
    from tests.risk.conftest import HandMade

    wh = HandMade(copy_warehouse(empty_warehouse, tmp_path / "warehouse.duckdb"))
    wh.location("Z", latitude=53.5, longitude=-2.1)
    wh.care_home_return("Z", EARLIER, residents_council=25, occupied_beds=30)
    wh.care_home_return("Z", LATEST, residents_council=None, occupied_beds=28)
    with store.warehouse(wh.build(), read_only=True) as con:
        row = con.execute("select people_council, people, return_period from mart.service_capacity "
                          "where location_id = 'Z'").fetchall()
    assert row == [(None, 28, LATEST)]
