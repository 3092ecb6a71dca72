"""The profile and the watchlist write every figure for people: one benchmark per kind of service,
money with pence and thousands, "Not received" rather than None, flags in words with causes apart
from impact, and evidence as small tables with no raw keys or lists."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from market_oversight import flag_words
from market_oversight.queries import profile

from .conftest import assert_clean, open_page, read, texts

RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|[\[\]{}]|\bNone\b")
MONEY = re.compile(r"^£\d{1,3}(,\d{3})*\.\d\d (a week|an hour)$")
DIFFERENCE = re.compile(r"^[+−]?£\d{1,3}(,\d{3})*\.\d\d$")


def test_fee_rows_and_late_returns_are_written_for_people() -> None:
    from datetime import date

    fees = pl.DataFrame({"care_category": ["residential_dementia"], "amount": [940.0], "unit": ["week"],
                         "effective_from": [date(2026, 4, 1)], "effective_to": [None],
                         "benchmark": ["fair_cost_of_care_median"], "benchmark_amount": [1105.6]})
    assert profile.fees_for_people(fees).row(0) == (
        "Residential (dementia)", "£940.00 a week", "1 April 2026", "In force", "Fair Cost of Care median",
        "£1,105.60 a week", "−£165.60")
    late = pl.DataFrame({"period": [date(2026, 7, 1)], "status": ["missing"], "due_date": [date(2026, 8, 14)],
                         "received_at": [None]}, schema_overrides={"received_at": pl.Date})
    assert profile.late_for_people(late).row(0) == ("July 2026", "Missing", "14 August 2026", "Not received")


def _location_with_fees_over_years(db: Path) -> tuple[str, str]:
    return read(db, """
        select f.location_id, l.service_kind from mart.fee_rates f join mart.register l using (location_id)
        group by all having count(distinct year(f.effective_from)) >= 3
        order by count(*) desc, f.location_id limit 1""")[0]


def test_profile_fees_compare_every_year_with_the_one_chosen_benchmark(app_env: Path) -> None:
    location_id, kind = _location_with_fees_over_years(app_env)
    chosen = {"care_home": "Fair Cost of Care median"}.get(kind, "Homecare Association minimum price")
    at = open_page(location=location_id)
    assert_clean(at)
    fees = next(d.value for d in at.dataframe if "Benchmark rate" in d.value.columns)
    assert set(fees["Benchmark"]) <= {chosen, "None for that year"} and chosen in set(fees["Benchmark"])
    assert all(MONEY.match(v) for v in fees["Rate paid"])
    compared = fees[fees["Benchmark"] == chosen]
    assert all(MONEY.match(v) for v in compared["Benchmark rate"])
    assert all(DIFFERENCE.match(v) for v in compared["Difference"])


def test_profile_flags_are_in_words_causes_apart_from_impact(app_env: Path) -> None:
    # Given the location with the most kinds of flag, causes and impact items among them
    location_id = read(app_env, """
        select location_id from mart.risk_flags where as_of = (select max(as_of) from mart.risk_flags)
        group by location_id having count(*) filter (where domain = 'impact') > 0
        order by count(*) desc, location_id limit 1""")[0][0]
    flags = read(app_env, "select flag, domain from mart.risk_flags where location_id = $id and as_of = "
                          "(select max(as_of) from mart.risk_flags)", {"id": location_id})
    at = open_page(location=location_id)
    assert_clean(at)
    labels = [e.label for e in at.expander if any(e.label.startswith(flag_words.label(f)) for f, _ in flags)]
    assert len(labels) == len(flags)
    # causes first, then the impact items under a heading of their own
    impact_start = next(i for i, (f, d) in enumerate(
        sorted(flags, key=lambda fd: fd[1] == "impact")) if d == "impact")
    assert all(not flag_words.is_impact(dict(flags)[_flag_of(label)]) for label in labels[:impact_start])
    assert all(flag_words.is_impact(dict(flags)[_flag_of(label)]) for label in labels[impact_start:])
    assert "How many would be affected if it failed?" in texts(at)
    # no raw codes in the labels or the evidence
    for label in labels:
        assert not RAW.search(label), label
    evidence = [d.value for d in at.dataframe if list(d.value.columns) == ["What", "Value"]]
    assert evidence
    for table in evidence:
        for what, value in table.itertuples(index=False):
            assert not RAW.search(what) and not RAW.search(value), (what, value)


def _flag_of(label: str) -> str:
    return next(f for f, words in flag_words.INDICATOR_LABELS.items() if label.startswith(words + ":"))


def test_late_returns_say_not_received_rather_than_none(app_env: Path) -> None:
    location_id = read(app_env, """
        select location_id from mart.expected_returns where status = 'missing' order by location_id limit 1""")[0][0]
    at = open_page(location=location_id)
    assert_clean(at)
    late = next(d.value for d in at.dataframe if "Received" in d.value.columns and "Due" in d.value.columns)
    missing = late[late["Status"] == "Missing"]
    assert len(missing) and set(missing["Received"]) == {"Not received"}
    assert late["Received"].notna().all()


def test_watchlist_flags_are_in_words_and_impact_items_come_apart(app_env: Path) -> None:
    impact_labels = {flag_words.label(f) for (f,) in read(
        app_env, "select distinct flag from mart.risk_flags where domain = 'impact'")}
    at = open_page("watchlist.py")
    assert_clean(at)
    table = at.dataframe[-1].value
    columns = list(table.columns)
    assert columns.index("Flags") < columns.index("Impact if it failed")
    for causes, impacts in zip(table["Flags"], table["Impact if it failed"], strict=True):
        assert "_" not in causes and "_" not in impacts
        assert not set(filter(None, causes.split("; "))) & impact_labels
        assert set(filter(None, impacts.split("; "))) <= impact_labels
    assert table["Flags"].str.len().gt(0).any()


def test_rating_history_reads_in_words_with_each_key_questions_latest_rating() -> None:
    from datetime import date

    # Given two reports: safe Requires improvement, then safe and overall Good
    ratings = pl.DataFrame({
        "key_question": ["safe", "safe", "overall"], "rating": ["Requires improvement", "Good", "Good"],
        "report_date": [date(2023, 5, 2), date(2025, 9, 30), date(2025, 9, 30)],
        "date_basis": ["published", "published", "published"]})
    # When the profile puts it into words
    timeline, sentence = profile.ratings_for_people(ratings, date(2026, 10, 27))
    # Then the sentence names the reports' span and the latest rating of each key question, in CQC's order
    assert sentence == "2 reports from 2 May 2023 to 30 September 2025; latest ratings: Overall Good, Safe Good."
    assert timeline.filter(pl.col("Key question") == "Safe")["Rating"].to_list() == [
        "◆ Requires improvement", "● Good"]
    # and the rating in force holds to the date of the CQC data, drawn as a bar, not a point
    assert timeline.filter(pl.col("Key question") == "Safe")["until"].to_list() == [
        date(2025, 9, 30), date(2026, 10, 27)]
    assert profile.KEY_QUESTION_ORDER[:2] == ("Overall", "Safe") and len(profile.KEY_QUESTION_ORDER) == 6


def test_returns_are_drawn_per_measure_with_shares_as_per_cent() -> None:
    from datetime import date

    returns = pl.DataFrame({
        "period": [date(2026, 8, 1), date(2026, 9, 1)], "occupancy_rate": [0.91, 0.875],
        "agency_share": [0.1, 0.125], "staff_vacancies": [3, 4], "leavers": [1, 0],
        "safeguarding_concerns": [0, 2]})
    measures = profile.return_measures("care_home")
    assert profile.return_measures("other") == measures != profile.return_measures("home_care")
    long, sentence = profile.returns_for_people(returns, measures)
    assert sentence == ("2 monthly returns from August 2026 to September 2026; in the latest, occupancy 88%, "
                        "agency share of hours 12%, staff vacancies 4, staff leavers 0, safeguarding concerns 2.")
    assert long.filter(pl.col("Measure") == "Occupancy (%)")["value"].to_list() == [91.0, 87.5]
    assert long.filter(pl.col("Measure") == "Staff vacancies")["Month"].to_list() == ["August 2026", "September 2026"]


def test_a_deregistered_sibling_says_not_scored_rather_than_none() -> None:
    siblings = pl.DataFrame({"location_id": ["1-A", "1-B"], "location_name": ["Beech House", "Juniper"],
                             "service_kind": ["care_home", "care_home"], "local_authority": ["Kingsmere"] * 2,
                             "rag": ["green", None], "latest_overall_rating": ["Good", None],
                             "is_active": [True, False]})
    assert profile.siblings_for_people(siblings).row(1) == (
        "Juniper", "Care home", "Kingsmere", "Not scored", "No rating yet", "Deregistered", "profile?location=1-B")
