"""The value parsers every CQC source shares."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from market_oversight import vocab
from market_oversight.ingest.cqc_rows import parse_date, parse_flag, parse_int, text


@pytest.mark.parametrize("value,expected", [
    ("2025-03-13", date(2025, 3, 13)),
    ("2025-08-20T09:15:00Z", date(2025, 8, 20)),
    ("05/03/2024", date(2024, 3, 5)),                 # UK day first
    ("3/5/2024 12:00:00 AM", date(2024, 3, 5)),       # US month first, marked by the time
    ("12/31/2024 12:00:00 AM", date(2024, 12, 31)),
    (datetime(2024, 1, 2, 0, 0), date(2024, 1, 2)),   # spreadsheet cells
    ("  ", None), (None, None),
])
def test_dates_in_every_cqc_spelling(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/31/2020", "2024-13-01", "next Tuesday", "13/25/2024 12:00:00 AM"])
def test_impossible_dates_are_refused_with_the_expected_formats(value):
    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        parse_date(value)


def test_flags_ids_and_numbers():
    assert parse_flag("Y", blank_is_false=True) is True
    assert parse_flag("", blank_is_false=True) is False     # Y/blank flags in the HSCA file
    assert parse_flag("", blank_is_false=False) is None
    assert parse_flag(" n ", blank_is_false=False) is False
    assert text(3754654.0) == "3754654" and text(" 1-101 ") == "1-101"
    assert parse_int("30") == 30 and parse_int(30.0) == 30 and parse_int("") is None
    with pytest.raises(ValueError):
        parse_flag("maybe", blank_is_false=True)


@pytest.mark.parametrize("text_,expected", [
    ("Requires Improvement", "Requires improvement"), (" good ", "Good"),
    ("No published rating", "Not rated"), ("Inspected but not rated", "Not rated"),
    ("Insufficient evidence to rate", "Not rated"), ("Not Rated", "Not rated"),
])
def test_rating_spellings(text_, expected):
    assert vocab.normalise_rating(text_) == expected


def test_kinds_and_statuses():
    assert vocab.is_domiciliary(["Domiciliary care service"]) and not vocab.is_domiciliary(["Supported living service"])
    assert vocab.provides_care_home_service(["Care home service with nursing"])
    assert vocab.normalise_registration_status("DEREGISTERED") == "Deregistered"
    with pytest.raises(ValueError):
        vocab.normalise_registration_status("Suspended-ish")
