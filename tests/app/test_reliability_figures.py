"""The reliability page's figures, from a stored backtest written by hand (no Streamlit)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from market_oversight.queries import reliability
from market_oversight.queries.reliability import StoredBacktest

HASH = "ab12cd34ef56" + "0" * 52


def result() -> dict:
    """1,000 location-dates, 50 followed by an event: red 60 (24 events), amber 140 (14), green 800 (12)."""
    return {
        "location_dates": 1000, "positives": 50, "base_rate": 0.05, "roc_auc": 0.8123, "horizon_months": 6,
        "as_of_dates": 10,
        "by_rag": {
            "red": {"location_dates": 60, "events": 24, "share": 0.06, "event_rate": 0.4},
            "amber": {"location_dates": 140, "events": 14, "share": 0.14, "event_rate": 0.1},
            "green": {"location_dates": 800, "events": 12, "share": 0.8, "event_rate": 0.015},
        },
        "indicators": [
            {"flag": "low_occupancy", "raised": 100, "precision": 0.2, "lift": 4.0, "roc_auc_drop": 0.031},
            {"flag": "never_rated", "raised": 0, "precision": None, "lift": None, "roc_auc_drop": 0.0},
            {"flag": "staff_turnover", "raised": 300, "precision": 0.04, "lift": 0.8, "roc_auc_drop": -0.002},
            {"flag": "agency_reliance", "raised": 40, "precision": 0.3, "lift": 6.0, "roc_auc_drop": 0.01},
        ],
        "reliability": [
            {"points_from": 0.0, "points_to": 10.0, "location_dates": 700, "events": 7, "observed": 0.01,
             "predicted": None},
            {"points_from": 90.0, "points_to": 100.0, "location_dates": 20, "events": 9, "observed": 0.45,
             "predicted": None},
        ],
    }


def stored(**changes) -> StoredBacktest:
    fields = dict(run_id="r1", ran_at=datetime(2026, 11, 2, 14, 5), thresholds_hash=HASH,
                  thresholds_source="thresholds.toml", thresholds_fitted_at=None, events_source="observed",
                  event_types=["downgrade", "closure"], horizon_months=6, first_as_of=date(2022, 5, 15),
                  last_as_of=date(2026, 4, 15), location_dates=1000, positives=50, roc_auc=0.8123, result=result())
    return StoredBacktest(**(fields | changes))


def test_recall_of_red_and_of_red_and_amber() -> None:
    assert reliability.events_caught(result(), ("red",)) == pytest.approx(24 / 50)
    assert reliability.events_caught(result(), ("red", "amber")) == pytest.approx(38 / 50)
    assert reliability.events_caught(result() | {"positives": 0}, ("red",)) is None


def test_rag_table_writes_shares_and_rates_as_per_cent() -> None:
    table = reliability.rag_table(result())
    assert table.rows() == [
        ("▲ Red", "40.0%", "8.0×", "6.0%", "60"),
        ("◆ Amber", "10.0%", "2.0×", "14.0%", "140"),
        ("● Green", "1.5%", "0.3×", "80.0%", "800"),
    ]
    assert table.columns[0] == "RAG"


def test_indicators_by_lift_with_the_never_raised_last() -> None:
    table = reliability.indicator_table(result())
    assert table["Indicator"].to_list() == ["Agency reliance", "Low occupancy", "Staff turnover", "Never rated"]
    assert table.row(0) == ("Agency reliance", "6.0×", "30.0%", "40", "+0.010")
    assert table.row(2)[-1] == "−0.002"
    tiny = result() | {"indicators": [{"flag": "x", "raised": 1, "precision": 0.1, "lift": 2.0, "roc_auc_drop": -0.0002}]}
    assert reliability.indicator_table(tiny).row(0)[-1] == "+0.000"
    assert table.row(3)[1:3] == ("Not known", "Never raised")


def test_reliability_frame_keeps_band_order_and_rates() -> None:
    bands = reliability.reliability_frame(result())
    assert bands["Likelihood points"].to_list() == ["0–10", "90–100"]
    assert bands["order"].to_list() == [0, 1]
    assert bands["observed"].to_list() == [0.01, 0.45]
    assert bands["Followed by an event"].to_list() == ["1.0%", "45.0%"]
    assert bands["Predicted"].to_list() == ["Not known", "Not known"]
    assert reliability.reliability_frame(result() | {"reliability": []}).is_empty()


def test_reliability_summary_names_the_lowest_and_highest_band() -> None:
    text = reliability.reliability_summary(result())
    assert "scoring 0 to 10 likelihood points, 1.0% were followed by an event within 6 months" in text
    assert "scoring 90 to 100, 45.0%" in text and "base rate is 5.0%" in text


def test_what_was_replayed_in_words() -> None:
    text = reliability.what_was_replayed(stored())
    assert "from May 2022 to April 2026 (10 dates, 1,000 location-dates)" in text
    assert "a downgrade to Requires improvement or Inadequate or a closure in the following 6 months" in text
    assert "(events recorded in this warehouse): 50 location-dates were followed by one." in text
    assert "the demo's hidden events" in reliability.what_was_replayed(stored(events_source="demo_truth"))


def test_thresholds_lines_say_when_fitted_and_whether_the_scores_use_them() -> None:
    lines = reliability.thresholds_lines(stored(), HASH)
    assert lines[0] == ("Thresholds ab12cd34ef56, from thresholds.toml, not fitted by `market-oversight "
                        "calibrate`; backtest run on 2 November 2026 at 2:05pm.")
    assert lines[1] == "The current scores use these thresholds."
    shipped = reliability.thresholds_lines(stored(result=result() | {"thresholds_default": True}), HASH)
    assert "ab12cd34ef56, the shipped defaults, not fitted on this warehouse" in shipped[0]
    fitted = reliability.thresholds_lines(stored(thresholds_fitted_at=datetime(2026, 10, 1, 9, 30)), "ff" * 32)
    assert "fitted by `market-oversight calibrate` on 1 October 2026 at 9:30am" in fitted[0]
    assert "other thresholds (ffffffffffff)" in fitted[1] and reliability.SAVE_COMMAND in fitted[1]
    assert reliability.thresholds_lines(stored(), None)[1] == "No current scores to compare them with."
