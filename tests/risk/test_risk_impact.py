"""Impact is "not known" when its inputs are missing, never 0; council_funded_share reads its source."""

from __future__ import annotations

import pytest
from datetime import date

import polars as pl

from tests.risk.conftest import HandMade, month
from market_oversight import fmt, store
from market_oversight.alerts import changes
from market_oversight.queries import watchlist
from market_oversight.queries.filters import MarketFilter
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds

AS_OF = date(2026, 3, 15)


def scores(wh: HandMade, as_of: date = AS_OF) -> dict[str, dict]:
    """The computed (not stored) scores at as_of, by location."""
    wh.build()
    with store.warehouse(wh.path, publish=False) as con:
        engine.compute(con, as_of, load_thresholds())
        return {r["location_id"]: r for r in store.frame(con, "select * from stage_scores").to_dicts()}


def sized_market(wh: HandMade) -> None:
    """Given, in one area, services whose size is known and services whose size is not."""
    wh.location("hc_no_returns", kind="home_care", provider_id="a")
    wh.location("hc_old_returns", kind="home_care", provider_id="b")   # last return 4 months back
    wh.home_care_return("hc_old_returns", month(AS_OF, 4))
    wh.location("hc_returns", kind="home_care", provider_id="c")
    wh.home_care_return("hc_returns", month(AS_OF, 1))
    wh.location("ch_no_beds", beds=None, provider_id="d")
    wh.location("ch_beds_from_return", beds=None, provider_id="e")
    wh.care_home_return("ch_beds_from_return", month(AS_OF, 1), beds=30, occupied_beds=28)
    wh.location("ch_beds", beds=40, provider_id="f")


def test_impact_is_not_known_when_the_size_is_not_known(wh: HandMade) -> None:
    sized_market(wh)
    got = scores(wh)
    assert {loc for loc, s in got.items() if s["impact"] is None} == {
        "hc_no_returns", "hc_old_returns", "ch_no_beds"}
    # the register's beds, else the latest return's, else the people supported in the last 3 months
    assert got["ch_beds_from_return"]["impact"] > 0
    assert got["hc_returns"]["impact"] > 0
    assert got["ch_beds"]["impact"] > 0


def test_impact_flags_of_a_location_of_unknown_size_keep_their_evidence(wh: HandMade) -> None:
    # a nursing home with no beds known: still hard to replace, shown with its evidence
    wh.location("nursing", beds=None, service_types=["Care home service with nursing"])
    flags = wh.flags("nursing", AS_OF)
    assert "hard_to_replace" in flags
    assert "people_affected" not in flags and "local_capacity_share" not in flags
    assert scores(wh)["nursing"]["impact"] is None


def test_rag_is_set_by_likelihood_alone_when_impact_is_not_known(wh: HandMade) -> None:
    # given an Inadequate home-care service with no returns (impact not known): the floor makes it red
    wh.location("hc_inadequate", kind="home_care", provider_id="a", rated=None)
    wh.rating("hc_inadequate", date(2025, 6, 1), "Inadequate")
    wh.location("hc_good", kind="home_care", provider_id="b")
    got = scores(wh)
    assert got["hc_inadequate"]["impact"] is None
    assert got["hc_inadequate"]["computed_rag"] == "red"
    assert got["hc_good"]["computed_rag"] == "green"


def test_not_known_is_stored_as_null_and_listed_last_as_not_known(wh: HandMade) -> None:
    sized_market(wh)
    wh.build()
    engine.score(wh.path, load_thresholds(), [AS_OF])
    with store.warehouse(wh.path, publish=False) as con:
        stored = dict(con.execute("select location_id, impact from risk_scores").fetchall())
        ranked = watchlist.watchlist(con, MarketFilter())
    assert stored["hc_no_returns"] is None and stored["ch_no_beds"] is None
    assert stored["ch_beds"] > 0
    # every location here is green: those of unknown impact come after every known one
    order = ranked["location_id"].to_list()
    assert set(order[-3:]) == {"hc_no_returns", "hc_old_returns", "ch_no_beds"}
    table = watchlist.for_people(ranked)
    shown = dict(zip(table["CQC location ID"], table["Impact (0 to 100)"], strict=True))
    assert shown["hc_no_returns"] == "Not known"
    assert shown["ch_beds"] == fmt.impact(stored["ch_beds"]) != "Not known"


def test_impact_formatting_never_shows_not_known_as_zero() -> None:
    assert fmt.impact(None) == fmt.impact(float("nan")) == "Not known"
    assert fmt.impact(0.0) == "0"
    assert fmt.impact(47.6) == "48"
    df = pl.DataFrame({"location_name": ["A"], "likelihood": [50.0], "impact": [None],
                       "rag": ["red"], "new_this_week": [False]},
                      schema_overrides={"impact": pl.Float64})
    assert "impact Not known" in watchlist.summary(df)


@pytest.mark.slow
def test_the_email_line_says_impact_not_known(wh: HandMade) -> None:
    # given a home-care service without returns, scored green before the week, rated Inadequate in it
    wh.location("hc", kind="home_care", rated=None)
    wh.rating("hc", date(2026, 3, 10), "Inadequate")
    wh.build()
    engine.score(wh.path, load_thresholds(), [date(2026, 3, 1), AS_OF])
    with store.warehouse(wh.path, publish=False) as con:
        items = changes._risk_items(con, {"week_start": date(2026, 3, 9), "week_end": AS_OF})
    risk = [i for i in items if i.location_id == "hc" and i.kind == "risk"]
    assert risk and "impact Not known" in risk[0].details[0]
