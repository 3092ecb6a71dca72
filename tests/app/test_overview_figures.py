"""The overview's figures agree with themselves: arrows follow the sign of a change, home care shows
its own figures, and fees are drawn once per care category on an axis of their own unit."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

import polars as pl
import pyarrow as pa

from market_oversight import fmt
from market_oversight.queries import overview
from market_oversight.queries.overview import Headline

from .conftest import assert_clean, open_page, read, texts


def _figures(**changes: tuple[float | None, float | None]) -> dict[str, Headline]:
    base = {"locations": (207, 207), "beds": (4606, 4610), "occupancy_rate": (0.87, 0.86),
            "good_or_better_share": (0.91, 0.91), "red": (27, 27), "amber": (46, 59),
            "scored_on": (None, None), "occupancy_month": (None, None)}
    return {name: Headline(name, *values) for name, values in (base | changes).items()}


def _home(**values: tuple) -> dict[str, Headline]:
    base = {"hours_delivered": (205188, 191358), "people_supported": (4803, 4535), "packages_handed_back": (19, 20),
            "spare_hours_a_week": (8460, 7622), "agencies_with_spare_capacity": (65, 60),
            "agencies_returned": (82, 82), "period": (None, None)}
    return {name: Headline(name, *v) for name, v in (base | values).items()}


def test_a_fall_has_a_down_arrow_and_a_minus_and_no_change_has_no_arrow() -> None:
    metrics = {m.label: m for m in overview.headline_metrics(_figures(), None, "care_home")}
    amber, red = metrics[fmt.rag("amber")], metrics[fmt.rag("red")]
    assert (amber.delta, amber.arrow) == ("−13", "down")
    assert (red.delta, red.arrow) == ("No change", "off")
    assert (metrics["Registered beds"].delta, metrics["Registered beds"].arrow) == ("−4 beds", "down")
    assert (metrics["Care-home occupancy"].delta, metrics["Care-home occupancy"].arrow) == \
        ("+1.0 percentage points", "up")
    # a change too small to write is no change, with no arrow
    tiny = overview.headline_metrics(_figures(good_or_better_share=(0.9100, 0.9104)), None, None)
    good = next(m for m in tiny if m.label == "Rated Good or Outstanding")
    assert (good.delta, good.arrow) == ("No change", "off")
    # and with no earlier figure, no change is shown at all
    first = overview.headline_metrics(_figures(red=(27, None)), None, None)
    assert next((m.delta, m.arrow) for m in first if m.label == fmt.rag("red")) == (None, "off")


def test_home_care_shows_hours_people_packages_and_spare_capacity_instead_of_beds() -> None:
    labels = [m.label for m in overview.headline_metrics(_figures(), _home(), "home_care")]
    assert "Registered beds" not in labels and "Care-home occupancy" not in labels
    metrics = {m.label: m for m in overview.headline_metrics(_figures(), _home(), "home_care")}
    assert metrics["Home-care hours delivered"].value == "205,188 hours"
    assert metrics["People supported at home"].value == "4,803 people"
    assert (metrics["Packages handed back"].value, metrics["Packages handed back"].delta,
            metrics["Packages handed back"].arrow) == ("19 packages", "−1 package", "down")
    assert metrics["Spare home-care capacity"].value == "8,460 hours a week"
    # every kind: both sets of figures
    every = [m.label for m in overview.headline_metrics(_figures(), _home(), None)]
    assert {"Registered beds", "Care-home occupancy", "Home-care hours delivered"} <= set(every)


def test_home_care_notes_do_not_say_returns_are_missing_when_home_care_returns_are_loaded() -> None:
    from datetime import date

    notes = overview.headline_notes(_figures(), _home(period=(date(2026, 9, 1), date(2026, 8, 1))), "home_care")
    assert not any("occupancy" in n.lower() for n in notes)
    assert notes[0] == ("Home care from the returns for September 2026 (82 agencies returned; 65 can take on "
                        "more hours), against August 2026.")


def _fees() -> pl.DataFrame:
    rows = []
    for category, unit, median, benchmarks in [
        ("nursing", "week", 1036.64, {"council_usual_rate": 1040.76, "fair_cost_of_care_median": 1217.69}),
        ("residential", "week", 877.84, {"council_usual_rate": 876.43, "fair_cost_of_care_median": 1025.43}),
        ("home_care", "hour", 26.42, {"council_usual_rate": 26.84, "homecare_association_minimum": 32.16}),
    ]:
        for benchmark, amount in benchmarks.items():
            rows.append({"care_category": category, "unit": unit, "rates": 10, "median_paid": median,
                         "lowest_paid": median - 100, "highest_paid": median + 100, "benchmark": benchmark,
                         "benchmark_amount": amount})
    return pl.DataFrame(rows)


def test_each_median_is_drawn_once_on_an_axis_of_its_own_unit() -> None:
    week, hour = overview.fee_panels(_fees())
    assert (week.unit, hour.unit) == ("week", "hour")
    assert week.paid.select("care_category", "median_paid").rows() == [("nursing", 1036.64), ("residential", 877.84)]
    assert hour.paid.select("care_category", "median_paid").rows() == [("home_care", 26.42)]
    assert week.benchmarks.height == 4 and hour.benchmarks.height == 2
    # the sentence counts what the chart draws: 2 categories per week, each against each benchmark
    assert (week.title, hour.title) == ("Care homes, per week", "Home care, per hour")
    assert week.summary == ("The median paid runs from £877.84 a week for residential care to "
                            "£1,036.64 a week for nursing care; it is below the Council usual rate in 1 of 2 care "
                            "categories and below the Fair Cost of Care median in 2 of 2 care categories.")
    assert hour.summary == ("The median paid for home care is £26.42 an hour; it is below the "
                            "Council usual rate (£26.84 an hour) and below the Homecare Association minimum price "
                            "(£32.16 an hour).")
    table = overview.fee_table(week)
    assert table.columns == ["Care category", "Rates in force", "Median paid", "Lowest", "Highest",
                             "Council usual rate", "Fair Cost of Care median"]
    assert table.row(0) == ("Nursing", 10, "£1,036.64", "£936.64", "£1,136.64", "£1,040.76", "£1,217.69")


@pytest.mark.slow
def test_overview_headline_arrows_follow_the_sign_of_each_change(app_env: Path) -> None:
    at = open_page()
    assert_clean(at)
    for metric in at.metric:
        delta = metric.proto.delta
        expected = ("NONE" if not delta or delta == "No change" else "DOWN" if delta.startswith("−") else "UP")
        assert type(metric.proto).MetricDirection.Name(metric.proto.direction) == expected, (metric.label, delta)
        assert type(metric.proto).MetricColor.Name(metric.proto.color) == "GRAY", metric.label
        assert not re.match(r"[+−]0(\.0)?( |$)", delta), (metric.label, delta)


@pytest.mark.slow
def test_overview_of_home_care_shows_its_returns_not_occupancy(app_env: Path) -> None:
    period, hours, people = read(app_env, """
        select period, sum(hours_delivered), sum(people_supported) from mart.home_care_returns
        where period = (select max(period) from mart.home_care_returns)
          and location_id in (select location_id from mart.register where is_active and service_kind = 'home_care')
        group by period""")[0]
    at = open_page()
    at.selectbox(key="overview-kind").select("home_care").run()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Home-care hours delivered"] == fmt.count(hours, "hour")
    assert metrics["People supported at home"] == fmt.count(people, "person", "people")
    assert "Registered beds" not in metrics and "Care-home occupancy" not in metrics
    body = texts(at)
    assert "No returns loaded yet" not in body and "occupancy is not" not in body
    assert f"Home care from the returns for {fmt.month(period)}" in body


def test_overview_fees_draw_each_median_once_per_unit(app_env: Path) -> None:
    at = open_page()
    assert_clean(at)
    fee_charts = [c for c in at.get("vega_lite_chart") if "Median paid" in c.proto.spec]
    units = read(app_env, "select count(distinct unit) from mart.fee_rates")[0][0]
    assert len(fee_charts) == units == 2
    for chart in fee_charts:
        spec = json.loads(chart.proto.spec)
        bar = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
        dataset = next(d for d in chart.proto.datasets if d.name == bar["data"]["name"])
        bars = pl.from_arrow(pa.ipc.open_stream(dataset.data.data).read_all())
        # one bar per care category, so none is stacked on another
        assert bars["Care category"].n_unique() == bars.height
        assert bars["unit"].n_unique() == 1
    assert {"Care homes, per week", "Home care, per hour"} <= {h.value for h in at.subheader}


def test_the_ratings_mix_sentence_counts_good_or_outstanding_among_the_rated_only() -> None:
    # Given two months: 3 of 4 rated locations Good or Outstanding, then 1 of 2 (unrated left out)
    mix = pl.DataFrame({
        "month_end": [date(2026, 7, 31)] * 4 + [date(2026, 10, 31)] * 3,
        "rating": ["Outstanding", "Good", "Inadequate", "Not rated", "Good", "Requires improvement", "Not rated"],
        "locations": [1, 2, 1, 5, 1, 1, 9]})
    # When the overview puts it into words
    table, sentence = overview.ratings_mix_for_people(mix)
    # Then the share is of the rated, and each rating and month reads in words
    assert sentence == ("The share of rated locations rated Good or Outstanding went from 75% in July 2026 "
                        "to 50% in October 2026.")
    assert table["Month"].to_list()[:1] == ["July 2026"] and "◆ Requires improvement" in table["Rating"].to_list()


def test_the_map_leaves_green_off_only_beyond_the_limit_and_counts_every_point() -> None:
    points = pl.DataFrame({"rag": ["red", "amber", "green", "green", "not scored"],
                           "service_kind": ["care_home", "home_care", "care_home", None, "care_home"],
                           "stages_in_force": [["serious_concerns"], [], None, ["enhanced_monitoring"], []]})
    shown, sentence = overview.map_for_people(points, max_green=5)
    assert shown.height == 5 and sentence == "5 locations on the map: 1 red, 1 amber, 2 green and 1 not scored."
    assert shown["Kind of service"].to_list() == ["Care home", "Home care", "Care home", "Not known", "Care home"]
    assert shown["Concerns"].to_list() == ["Serious concerns", "", "", "Enhanced monitoring", ""]
    shown, sentence = overview.map_for_people(points, max_green=4)
    assert shown["rag"].to_list() == ["red", "amber", "not scored"]
    assert sentence == ("5 locations on the map: 1 red, 1 amber, 2 green and 1 not scored (green locations "
                        "left off the map because there are so many).")
    _, sentence = overview.map_for_people(points.head(4), max_green=5)
    assert sentence == "4 locations on the map: 1 red, 1 amber and 2 green."


def test_capacity_reads_locations_and_beds_by_kind_of_service() -> None:
    capacity = pl.DataFrame({
        "local_authority": ["Kingsmere"] * 3, "icb_name": ["North ICB", "South ICB", "North ICB"],
        "service_kind": ["care_home", "care_home", "home_care"], "locations": [3, 2, 4],
        "registered_beds": [100, 1150, None], "occupied_beds": [90, None, None],
        "occupancy_rate": [0.9, None, None]})
    table, sentence = overview.capacity_for_people(capacity)
    assert sentence == "Care home: 5 locations, 1,250 beds; Home care: 4 locations."
    assert table.row(0, named=True) == {
        "Local authority": "Kingsmere", "ICB": "North ICB", "Kind of service": "Care home", "Locations": 3,
        "Registered beds": 100, "Occupied beds (latest returns)": 90, "Occupancy (%)": 90.0}


def test_every_rag_the_map_draws_has_a_colour_and_a_shape_in_its_legend() -> None:
    """Vega draws a value outside a scale's domain without its colour and leaves it out of the legend:
    the map's services never scored (8 on the demo) were counted nowhere on the chart."""
    from market_oversight.pages import common

    points = pl.DataFrame({"rag": ["red", "amber", "green", "not scored"], "service_kind": ["care_home"] * 4,
                           "stages_in_force": [["serious_concerns"], [], [], []]})
    shown, _ = overview.map_for_people(points, max_green=5)
    drawn = set(shown["RAG"].to_list())
    assert drawn == set(common.rag_scale(not_scored=True).domain) == set(common.rag_shape_scale(not_scored=True).domain)
    assert len(set(common.rag_scale(not_scored=True).range)) == 4

