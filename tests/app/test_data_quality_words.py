"""The data-quality page's tables and sentences, from query results, without Streamlit."""

from __future__ import annotations

import json
from datetime import date, datetime

import polars as pl

from market_oversight.queries import data_quality


def _batches() -> pl.DataFrame:
    return pl.DataFrame({
        "batch_id": ["b3", "b2", "b1"],
        "started_at": [datetime(2026, 11, 3, 9, 5), datetime(2026, 11, 2, 14, 0), datetime(2026, 10, 1, 8, 0)],
        "dataset": ["care_home_returns", "cqc_locations", "care_home_returns"],
        "source": ["/uploads/returns_nov.csv", "/data/cqc/locations.csv", "returns_oct.csv"],
        "status": ["loaded", "rejected", "loaded"],
        "rows_read": [10, 5, 8], "rows_loaded": [10, 0, 6], "rows_quarantined": [0, 5, 2],
        "ratings_set_aside": [0, 0, 0], "message": [None, "Wrong columns", None],
    })


def test_the_loads_are_counted_and_listed_in_words() -> None:
    batches = _batches()
    assert data_quality.batches_sentence(batches) == "3 loads listed (newest first): 1 rejected, 7 rows quarantined in all."
    shown = data_quality.batches_for_people(batches)
    assert shown.columns == ["Loaded", "Dataset", "File", "Status", "Rows read", "Rows loaded",
                             "Rows quarantined", "Ratings set aside", "Note", "Batch"]
    assert shown["File"].to_list() == ["returns_nov.csv", "locations.csv", "returns_oct.csv"]
    assert shown["Status"].to_list() == ["Loaded", "Rejected", "Loaded"]
    assert shown["Note"].to_list() == ["", "Wrong columns", ""]
    assert "_" not in "".join(shown["Dataset"].to_list())


def test_the_load_shown_first_is_the_newest_that_set_something_aside() -> None:
    labels, first = data_quality.batch_choices(_batches())
    assert first == "b2"
    assert list(labels) == ["b3", "b2", "b1"]
    assert labels["b1"].endswith("returns_oct.csv (2 rows quarantined)")
    nothing_aside = _batches().with_columns(pl.lit(0).alias("rows_quarantined"))
    assert data_quality.batch_choices(nothing_aside)[1] == "b3"
    ratings_aside = nothing_aside.with_columns(pl.Series("ratings_set_aside", [0, 0, 4]))
    labels, first = data_quality.batch_choices(ratings_aside)
    assert first == "b1" and labels["b1"].endswith("(0 rows quarantined, 4 ratings set aside)")


def test_contract_results_say_which_rules_were_not_met() -> None:
    validation = json.dumps({"judge": "sql", "success": False, "rules": {
        "occupancy_rate.between_0_and_1": {"success": False, "unexpected_count": 3},
        "location_id.not_null": {"success": True, "unexpected_count": 0},
        "period.month_start": {}}})
    shown, sentence = data_quality.contract_results_for_people(data_quality.contract_results(validation))
    assert sentence == "3 rules checked, 1 not met."
    assert shown.rows() == [("occupancy rate: between 0 and 1", "✗ Not met", 3),
                            ("location id: not null", "✓ Met", 0),
                            ("period: month start", "Not known", None)]


def test_a_providers_late_returns_read_in_words() -> None:
    detail = pl.DataFrame({"location_name": ["Alder House"], "period": [date(2026, 9, 1)],
                           "status": ["missing"], "due_date": [date(2026, 10, 14)], "received_at": [None]},
                          schema_overrides={"received_at": pl.Date})
    shown = data_quality.provider_returns_for_people(detail)
    assert shown.columns == ["Location", "Month", "Status", "Due", "Received"]
    assert shown.row(0)[:4] == ("Alder House", "September 2026", "Missing", "14 October 2026")
    late = pl.DataFrame({"provider_id": ["1-1"], "provider_name": ["Alder Care"], "locations": [2],
                         "returns_due": [24], "late": [3], "missing": [1]})
    assert data_quality.late_for_people(late).columns == ["Provider ID", "Provider", "Locations", "Returns due",
                                                          "Late", "Missing"]
