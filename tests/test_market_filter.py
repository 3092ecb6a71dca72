"""The market filter and "registered on a day" (macros of migration 095), as the overview and
watchlist queries read them, in a real migrated warehouse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from market_oversight import store

# (local_authority, icb_name, service_kind) of one location
LOCATION = ("Kingsmere", "North ICB", "care_home")


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    db: Path = tmp_path_factory.mktemp("filter") / "warehouse.duckdb"
    with store.warehouse(db, publish=False) as c:
        yield c


@pytest.mark.parametrize(("chosen", "expected"), [
    ((None, None, None), True),                              # nothing chosen: any location
    (("Kingsmere", None, None), True),
    (("Kingsmere", "North ICB", "care_home"), True),
    (("Eastvale", None, None), False),                       # each filter chosen must match
    (("Kingsmere", "South ICB", None), False),
    ((None, None, "home_care"), False),
])
def test_a_location_is_in_the_filter_when_it_matches_every_filter_chosen(con, chosen, expected) -> None:
    # given a location and the filters a user chose (None: left empty)
    params = dict(zip(("la", "icb", "kind"), LOCATION, strict=True)) | dict(
        zip(("chosen_la", "chosen_icb", "chosen_kind"), chosen, strict=True))
    # when the warehouse's filter is asked, with the filters bound as the queries bind them
    got = con.execute("select in_market_filter($la, $icb, $kind, $chosen_la, $chosen_icb, $chosen_kind)",
                      params).fetchall()[0][0]
    # then it is in the filter only when it matches each filter chosen
    assert got is expected


@pytest.mark.parametrize(("registered", "deregistered", "day", "expected"), [
    (date(2020, 1, 1), None, date(2020, 1, 1), True),          # registered that day
    (date(2020, 1, 2), None, date(2020, 1, 1), False),         # not yet registered
    (None, None, date(2020, 1, 1), True),                      # registration date not known
    (date(2019, 1, 1), date(2020, 1, 1), date(2020, 1, 1), False),   # deregistered that day
    (date(2019, 1, 1), date(2020, 1, 2), date(2020, 1, 1), True),
])
def test_a_location_is_registered_from_its_registration_until_its_deregistration(
        con, registered, deregistered, day, expected) -> None:
    got = con.execute("select registered_on(cast($r as date), cast($d as date), $day)",
                      {"r": registered, "d": deregistered, "day": day}).fetchall()[0][0]
    assert got is expected
