"""The value parsers and the normaliser every CQC source shares."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from market_oversight import vocab
from market_oversight.ingest.cqc_api_records import staged_from_api
from market_oversight.ingest.cqc_rows import (NormalisedLocation, normalise_location, parse_date, parse_flag,
                                              parse_int, text)


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


def api_record_with_a_pre_2014_history() -> dict:
    """A care home as the API gives it: rated Good now, Requires improvement in 2016, and a 2014
    compliance judgement (not a rating) in its history, one key question of which was rated."""
    return {
        "locationId": "1-000000001", "providerId": "1-000000002", "name": "Beech House",
        "careHome": "Y", "registrationStatus": "Registered", "registrationDate": "2011-01-04",
        "currentRatings": {"reportDate": "2019-05-01", "overall": {
            "rating": "Good", "reportDate": "2019-05-01",
            "keyQuestionRatings": [{"name": "Safe", "rating": "Good", "reportDate": "2019-05-01"}]}},
        "historicRatings": [
            {"reportDate": "2016-03-02", "overall": {
                "rating": "Requires improvement",
                "keyQuestionRatings": [{"name": "Safe", "rating": "Inadequate"}]}},
            {"reportDate": "2014-06-25", "overall": {
                "rating": "Compliance action",
                "keyQuestionRatings": [{"name": "Safe", "rating": "No action"},
                                       {"name": "Caring", "rating": "Good"}]}},
        ],
    }


def test_a_legacy_rating_word_sets_aside_that_rating_and_the_location_loads():
    # given an API record whose history holds pre-2014 compliance judgements
    staged = staged_from_api(api_record_with_a_pre_2014_history(), 7, "saved/location_1-000000001.json")
    # when it is normalised
    result = normalise_location(staged)
    # then the location and its real ratings are kept, and only the two judgements are set aside,
    # each saying where it was read and which report it belongs to
    assert isinstance(result, NormalisedLocation)
    assert result.values["location_id"] == "1-000000001"
    assert sorted((d, q, r) for d, q, r, _ in result.ratings) == [
        (date(2014, 6, 25), "caring", "Good"),
        (date(2016, 3, 2), "overall", "Requires improvement"), (date(2016, 3, 2), "safe", "Inadequate"),
        (date(2019, 5, 1), "overall", "Good"), (date(2019, 5, 1), "safe", "Good")]
    assert [(s.rule, s.field, s.word) for s in result.set_aside] == [
        ("legacy_rating", "historicRatings[1].overall.rating", "Compliance action"),
        ("legacy_rating", "historicRatings[1].overall.keyQuestionRatings[0].rating", "No action")]
    assert "(Safe, report of 2014-06-25 in saved/location_1-000000001.json)" in result.set_aside[1].message


def test_a_location_quarantined_for_another_reason_lists_its_legacy_ratings_too():
    # given the same record with an impossible registration date
    record = api_record_with_a_pre_2014_history() | {"registrationDate": "2011-02-30"}
    # when it is normalised
    problems = normalise_location(staged_from_api(record, 1))
    # then it is not stored, and every reason is given, the set-aside ratings among them
    assert [p.rule for p in problems] == ["bad_date", "legacy_rating", "legacy_rating"]


@pytest.mark.parametrize("word", ["No action", "compliance  ACTION"])
def test_legacy_words_are_known_and_are_not_ratings(word):
    assert vocab.is_legacy_rating(word)
    with pytest.raises(ValueError, match="unknown rating"):
        vocab.normalise_rating(word)
