"""fee_below_benchmark says when the year has no benchmark: a warning from `score` (and in --json),
and a line on the data quality page, never a silent non-firing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.risk.conftest import HandMade
from market_oversight import store, vocab
from market_oversight.cli import main
from market_oversight.queries import data_quality
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds

# the last day of 2025/26, for which the benchmark is loaded, and the first of 2026/27, without one
LAST_DAY_WITH = date(2026, 3, 31)
FIRST_DAY_WITHOUT = date(2026, 4, 1)


@pytest.mark.parametrize(("day", "year"), [
    (date(2026, 3, 31), "2025/26"), (date(2026, 4, 1), "2026/27"), (date(2026, 1, 1), "2025/26"),
    (date(2000, 4, 30), "2000/01"), (date(2099, 12, 31), "2099/00")])
def test_financial_year_runs_april_to_march(day: date, year: str) -> None:
    assert vocab.financial_year(day) == year


def home_care_paid_below_the_minimum(wh: HandMade) -> None:
    """Given a home-care service paid £20 an hour from April 2025, and the Homecare Association's
    minimum price of £32.14 for 2025/26 only."""
    wh.location("hc", kind="home_care", provider_id="P1")
    wh.add("fee_rates", location_id=None, provider_id="P1", care_category="home_care", amount=20.0,
           unit="hour", effective_from=date(2025, 4, 1), effective_to=None, funder="council",
           batch_id="b-fee", row_number=1)
    wh.add("benchmarks", financial_year="2025/26", care_category="home_care",
           benchmark="homecare_association_minimum", amount=32.14, unit="hour", source="HCA",
           batch_id="b-bm", row_number=1)


@pytest.mark.slow
def test_the_year_with_a_benchmark_raises_the_flag_and_warns_of_nothing(wh: HandMade) -> None:
    home_care_paid_below_the_minimum(wh)
    assert "fee_below_benchmark" in wh.flags("hc", LAST_DAY_WITH)
    with store.warehouse(wh.path, publish=False) as con:
        assert engine.warnings(con, LAST_DAY_WITH, load_thresholds()) == ()


def test_a_year_without_its_benchmark_is_named_in_a_warning(wh: HandMade) -> None:
    home_care_paid_below_the_minimum(wh)
    # the fee is as far below as before, but 2026/27 has no benchmark: not raised, and said so
    assert "fee_below_benchmark" not in wh.flags("hc", FIRST_DAY_WITHOUT)
    with store.warehouse(wh.path, publish=False) as con:
        warnings = engine.warnings(con, FIRST_DAY_WITHOUT, load_thresholds())
        missing = data_quality.missing_benchmarks(con, FIRST_DAY_WITHOUT, "fair_cost_of_care_median",
                                                  "homecare_association_minimum").to_dicts()
    assert missing == [{"service_kind": "home_care", "benchmark": "homecare_association_minimum",
                        "financial_year": "2026/27", "care_category": "home_care", "unit": "hour",
                        "locations": 1}]
    assert len(warnings) == 1
    assert "2026/27" in warnings[0] and "homecare_association_minimum" in warnings[0]
    assert "1 home care service" in warnings[0]


def test_no_warning_where_no_fee_is_in_force(wh: HandMade) -> None:
    # a care home paid no fee needs no benchmark: the fee rate ended before the date
    wh.location("ch")
    wh.add("fee_rates", location_id="ch", provider_id=None, care_category="residential", amount=700.0,
           unit="week", effective_from=date(2024, 4, 1), effective_to=date(2026, 3, 31), funder="council",
           batch_id="b-fee", row_number=1)
    wh.build()
    with store.warehouse(wh.path, publish=False) as con:
        assert engine.warnings(con, LAST_DAY_WITH, load_thresholds()) != ()  # no 2025/26 benchmark either
        assert engine.warnings(con, FIRST_DAY_WITHOUT, load_thresholds()) == ()


@pytest.mark.slow
def test_score_prints_the_warning_and_puts_it_in_its_json(wh: HandMade, capsys: pytest.CaptureFixture) -> None:
    home_care_paid_below_the_minimum(wh)
    wh.build()
    assert main(["score", "--db", str(wh.path), "--as-of", FIRST_DAY_WITHOUT.isoformat(), "--json",
                 "--no-snapshot"]) == 0
    out, err = capsys.readouterr()
    run = json.loads(out)[0]
    assert len(run["warnings"]) == 1 and "2026/27" in run["warnings"][0]
    assert f"warning: {FIRST_DAY_WITHOUT}: " in err and "homecare_association_minimum" in err
    assert main(["score", "--db", str(wh.path), "--as-of", LAST_DAY_WITH.isoformat(), "--json",
                 "--no-snapshot"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)[0]["warnings"] == [] and "warning" not in err
