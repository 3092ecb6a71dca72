"""The contingency panel's tables of reviews and notices, in words, without Streamlit."""

from __future__ import annotations

from datetime import date

import polars as pl

from market_oversight.queries import contingency


def test_reviews_and_notices_read_in_words() -> None:
    reviews = pl.DataFrame({"reviewed_on": [date(2026, 6, 1), date(2026, 1, 5)], "plan_held": [True, False],
                            "owner": ["ann@council.example", ""], "next_review_on": [date(2026, 12, 1), None],
                            "note": [None, "No plan yet"], "recorded_by": ["ann", "bob"]},
                           schema_overrides={"next_review_on": pl.Date})
    shown = contingency.reviews_for_people(reviews)
    assert shown.columns == ["Reviewed", "Plan", "Owner", "Next review", "Note", "By"]
    assert shown.row(0) == ("1 June 2026", "Held", "ann@council.example", "1 December 2026", "", "ann")
    assert shown["Plan"].to_list() == ["Held", "Not held"]
    notices = pl.DataFrame({"notice_on": [date(2026, 9, 9)], "kind": ["likely_failure"],
                            "note": ["Section 56 notice"], "recorded_by": ["ann"]})
    words = contingency.notices_for_people(notices)
    assert words.columns == ["Date", "Kind", "Note", "By"]
    assert words.row(0)[0] == "9 September 2026" and "_" not in words.row(0)[1]
