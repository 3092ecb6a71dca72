"""The monthly market report's small-number suppression, on hand-made markets: a figure from 4
locations is hidden ([c]), from 5 shown; where a total is published, a lone small count takes a
second one with it, so that it cannot be found by subtraction."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import polars as pl
import pytest

from market_oversight import fmt
from market_oversight.analyst import market_report as mr


def test_a_figure_from_four_locations_is_hidden_and_from_five_shown() -> None:
    # given two groups, of 4 and of 5 locations, with a figure computed from each
    groups = pl.DataFrame({"area": ["A", "B", "C"], "locations": [4, 5, 0], "occupancy": [0.91, 0.875, None]})
    # when suppressed
    shown = mr.suppress(groups, {"locations": ["locations", "occupancy"]})
    # then the group of 4 shows [c] for both, the group of 5 its figures, and nothing hides a zero
    assert shown.row(0) == ("A", mr.SUPPRESSED, mr.SUPPRESSED)
    assert shown.row(1) == ("B", "5", fmt.percent(0.875, 1))
    assert shown.row(2) == ("C", "0", fmt.MISSING)


def test_a_lone_small_count_takes_the_next_smallest_with_it() -> None:
    assert mr.complementary([4, 0, 20, 9]) == [True, False, False, True]
    assert mr.complementary([3, 2, 20]) == [True, True, False]
    assert mr.complementary([5, 0, 20]) == [False, False, False]


@pytest.fixture
def market() -> Iterator[duckdb.DuckDBPyConnection]:
    """A real DuckDB holding the two marts the risk and ratings sections read, made by hand: care
    homes with 4 red, 6 amber and 20 green; home-care agencies with 5 red, 0 amber and 30 green."""
    con = duckdb.connect()
    con.execute("create schema mart")
    con.execute("create table mart.locations (location_id varchar, service_kind varchar, local_authority varchar, "
                "is_active boolean, latest_overall_rating varchar)")
    con.execute("create table mart.risk_current (location_id varchar, rag varchar)")
    counts = {("care_home", "red"): 4, ("care_home", "amber"): 6, ("care_home", "green"): 20,
              ("home_care", "red"): 5, ("home_care", "green"): 30}
    rating = {"red": "Inadequate", "amber": "Requires improvement", "green": "Good"}
    n = 0
    for (kind, rag), how_many in counts.items():
        for _ in range(how_many):
            n += 1
            con.execute("insert into mart.locations values ($id, $kind, 'Testshire', true, $rating)",
                        {"id": f"1-{n}", "kind": kind, "rating": rating[rag]})
            con.execute("insert into mart.risk_current values ($id, $rag)", {"id": f"1-{n}", "rag": rag})
    yield con
    con.close()


def test_risk_by_kind_hides_four_red_care_homes_and_shows_five_red_agencies(market) -> None:
    table = mr.risk_section(market, None).table
    rows = {r["service_kind"]: r for r in table.iter_rows(named=True)}
    # 4 red care homes are hidden, and the amber 6 with them (the row's total, 30, is shown)
    assert (rows["care_home"]["red"], rows["care_home"]["amber"]) == (mr.SUPPRESSED, mr.SUPPRESSED)
    assert (rows["care_home"]["green"], rows["care_home"]["locations"]) == ("20", "30")
    # 5 red agencies are shown, and the zero amber
    assert (rows["home_care"]["red"], rows["home_care"]["amber"], rows["home_care"]["green"]) == ("5", "0", "30")


def test_ratings_mix_suppresses_the_same_way_and_says_england_is_the_register(market) -> None:
    section = mr.ratings_section(market, "Testshire", "Testshire")
    rows = {(r["service_kind"], r["rating"]): r for r in section.table.iter_rows(named=True)}
    assert rows[("care_home", "Inadequate")]["locations"] == mr.SUPPRESSED
    assert rows[("care_home", "Inadequate")]["share"] == mr.SUPPRESSED
    assert rows[("home_care", "Inadequate")]["locations"] == "5"
    assert rows[("home_care", "Inadequate")]["share"] == fmt.percent(5 / 35, 1)
    assert any("holds one local authority only" in note for note in section.notes)
    assert mr.SUPPRESSION_NOTE in section.notes
