"""Every page renders on the demo warehouse and shows what it promises; casework is written
through the app and read back from the casework file."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from market_oversight import casework, flag_words, fmt, vocab
from market_oversight.pages import common

from tests.demo_cache import EARLIER_SCORE
from tests.conftest import errors

from .conftest import assert_clean, open_page, read, texts

ATTRIBUTION = "Source: Care Quality Commission, data as of 27 October 2026"


def test_overview_headline_counts_match_the_warehouse(app_env: Path) -> None:
    # Given the scored demo market
    red, amber = read(app_env, "select count(*) filter (where rag = 'red'), count(*) filter (where rag = 'amber') "
                               "from mart.risk_current")[0]
    active = read(app_env, "select count(*) from mart.locations where is_active")[0][0]
    # When the overview opens
    at = open_page()
    # Then its headline figures, with words and shapes for RAG, match the warehouse
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Active locations"] == f"{active:,}"
    assert metrics["▲ Red"] == fmt.count(red, "location")
    assert metrics["◆ Amber"] == fmt.count(amber, "location")
    latest_month = read(app_env, "select max(period) from mart.care_home_returns")[0][0]
    assert metrics["Care-home occupancy"].endswith("%")
    assert f"Occupancy from the care-home returns for {fmt.month(latest_month)}" in texts(at)
    body = texts(at)
    assert common.DEMO_BANNER in body
    assert ATTRIBUTION in body
    # And every chart has a one-sentence summary and its data as a table
    assert "share of rated locations rated Good or Outstanding went from" in body
    assert f"{active:,} locations on the map: {red} red, {amber} amber" in body
    # and the map's counts add up to its total (services never scored are counted too)
    counted = re.search(r"([\d,]+) locations on the map: (\d+) red, (\d+) amber,? (?:and )?(\d+) green"
                        r"(?: and (\d+) not scored)?", body)
    total, *parts = (int((n or "0").replace(",", "")) for n in counted.groups())
    assert total == sum(parts)
    assert len(at.expander) >= 3 and all("as a table" in e.label for e in at.expander)


def test_overview_filters_by_service_kind(app_env: Path) -> None:
    homes = read(app_env, "select count(*) from mart.locations where is_active and service_kind = 'care_home'")[0][0]
    at = open_page()
    at.selectbox(key="overview-kind").select("care_home").run()
    assert_clean(at)
    assert next(m for m in at.metric if m.label == "Active locations").value == f"{homes:,}"


def test_watchlist_ranks_red_first_and_marks_new_this_week(app_env: Path) -> None:
    # Given locations red or amber now that were green at the score three weeks earlier
    newly = {r[0] for r in read(app_env, """
        select c.location_id from mart.risk_current c
        left join mart.risk_history h on h.location_id = c.location_id and h.as_of = $earlier
        where c.rag in ('red', 'amber') and coalesce(h.rag, 'green') = 'green'""", {"earlier": EARLIER_SCORE})}
    listed = read(app_env, "select count(*) from mart.risk_current where rag in ('red', 'amber')")[0][0]
    # When the watchlist opens (red and amber by default)
    at = open_page("watchlist.py")
    # Then it lists them all, red first, with the words, and marks exactly the new ones
    assert_clean(at)
    table = at.dataframe[-1].value
    assert len(table) == listed
    rags = table["RAG"].to_list()
    assert rags == sorted(rags, key=lambda r: 0 if r == "▲ Red" else 1) and rags[0] == "▲ Red"
    marked = set(table.loc[table["New"] == "New this week", "CQC location ID"])
    assert marked == newly
    assert f"{len(newly)} newly red or amber this week" in texts(at)
    assert ATTRIBUTION in texts(at)


@pytest.mark.slow
def test_watchlist_opens_a_profile_and_its_filters_narrow_the_list(app_env: Path) -> None:
    at = open_page("watchlist.py")
    first = at.dataframe[-1].value.iloc[0]
    at.text_input(key="watchlist-search").input(first["Location"]).run()
    assert set(at.dataframe[-1].value["Location"]) == {first["Location"]}
    at.selectbox(key="watchlist-open").select(first["CQC location ID"])
    at.button(key="watchlist-open-button").click().run()
    assert_clean(at)
    assert at.title[0].value == f"What do we know about {first['Location']}?"
    assert at.query_params["location"] == first["CQC location ID"]


def test_watchlist_without_a_rag_chosen_says_what_to_do(app_env: Path) -> None:
    at = open_page("watchlist.py")
    at.multiselect(key="watchlist-rag").set_value([]).run()
    assert not at.exception
    assert "Choose at least one RAG rating" in texts(at)


def test_profile_deep_link_shows_flags_ratings_and_siblings(app_env: Path) -> None:
    # Given the highest-risk location and its provider's other locations
    location_id, name, provider_id = read(app_env, """
        select c.location_id, l.location_name, l.provider_id from mart.risk_current c join mart.locations l
        using (location_id) order by c.likelihood * c.impact desc, c.location_id limit 1""")[0]
    flags = read(app_env, "select flag, message, evidence from mart.risk_flags where location_id = $id and as_of = "
                          "(select max(as_of) from mart.risk_flags)", {"id": location_id})
    siblings = read(app_env, "select count(*) from mart.locations where provider_id = $p and location_id <> $id",
                    {"p": provider_id, "id": location_id})[0][0]
    reports = read(app_env, "select count(distinct report_date) from mart.ratings where location_id = $id",
                   {"id": location_id})[0][0]
    # When its deep link is opened (the link the alert e-mails carry)
    at = open_page(location=location_id)
    # Then the profile shows it with every flag's message and evidence, its rating history and siblings
    assert_clean(at)
    assert at.title[0].value == f"What do we know about {name}?"
    labels = [e.label for e in at.expander]
    sentences = [flag_words.sentence(*flag) for flag in flags]
    assert all(any(sentence in label for label in labels) for sentence in sentences) and flags
    assert f"{fmt.plural(reports, 'report')} from" in texts(at)
    # and a link that opens for anyone: CQC's public page for the location, not its data API
    assert f"(https://www.cqc.org.uk/location/{location_id})" in texts(at)
    assert "api.service.cqc.org.uk" not in texts(at)
    if siblings:
        sibling_table = next(d.value for d in at.dataframe if "Open profile" not in d.value.columns
                             and "Kind of service" in d.value.columns)
        assert len(sibling_table) == siblings
    assert ATTRIBUTION in texts(at)


def test_profile_of_an_unknown_location_says_how_to_find_one(app_env: Path) -> None:
    at = open_page(location="1-000")
    assert not at.exception
    assert "There is no location with ID '1-000'" in errors(at)[0]
    assert "looks like 1-123456789" in errors(at)[0]
    # And typing a real ID opens that location
    location_id, name = read(app_env, "select location_id, location_name from mart.locations limit 1")[0]
    at.text_input(key="profile-location").input(location_id).run()
    assert_clean(at)
    assert at.title[0].value == f"What do we know about {name}?"


def _first_unsuspended_home(db: Path) -> tuple[str, str]:
    return read(db, "select location_id, location_name from mart.locations where is_active and "
                    "service_kind = 'care_home' order by location_id limit 1 offset 3")[0]


@pytest.mark.slow
def test_note_and_action_written_through_the_profile_are_kept(app_env: Path) -> None:
    location_id, _ = _first_unsuspended_home(app_env)
    at = open_page(location=location_id)
    # When a note and an action are added on the profile
    at.text_area(key="note-body").input("Manager resigned; deputy in charge.")
    next(b for b in at.button if b.label == "Save note").click().run()
    assert_clean(at)
    assert "Note saved." in texts(at)
    assert at.text_area(key="note-body").value == ""  # the form is ready for the next note
    at.text_input(key="action-title").input("Visit to check staffing")
    at.text_input(key="action-owner").input("sam@kingsmere.example")
    next(b for b in at.button if b.label == "Add action").click().run()
    assert_clean(at)
    # Then both are in the casework file with who wrote them, and audited
    record = casework.location_casework(app_env, location_id)
    assert record.notes["body"].to_list() == ["Manager resigned; deputy in charge."]
    assert record.notes["author"].to_list() == [common.DEMO_USER.email]
    assert record.actions.select("title", "owner", "status").rows() == [
        ("Visit to check staffing", "sam@kingsmere.example", "open")]
    audited = read_audit(app_env, location_id)
    assert {"note_added", "action_added"} <= audited
    # And a fresh page shows them, and the casework page lists the open action
    again = open_page(location=location_id)
    assert "Manager resigned; deputy in charge." in [t.value for t in again.text]
    listing = open_page("casework.py")
    actions = next(d.value for d in listing.dataframe if "Action" in d.value.columns)
    assert "Visit to check staffing" in actions["Action"].to_list()


def read_audit(db: Path, target: str) -> set[str]:
    from market_oversight import audit

    return {row[3] for row in audit.recent(db, 500) if row[4] == target}


@pytest.mark.slow
def test_visit_suspension_and_override_written_through_the_app(app_env: Path) -> None:
    location_id, name = read(app_env, "select location_id, location_name from mart.locations where is_active "
                                      "and service_kind = 'care_home' order by location_id limit 1 offset 5")[0]
    at = open_page(location=location_id)
    at.selectbox(key="visit-rating").select("Requires improvement")
    at.text_area(key="visit-summary").input("Medication records incomplete.")
    next(b for b in at.button if b.label == "Save visit").click().run()
    at.text_input(key="suspend-reason").input("Safeguarding enquiry")
    next(b for b in at.button if b.label == "Suspend placements").click().run()
    at.selectbox(key="override-rag").select("amber")
    at.text_input(key="override-reason").input("New manager started; improving.")
    next(b for b in at.button if b.label == "Override RAG").click().run()
    assert_clean(at)
    record = casework.location_casework(app_env, location_id)
    assert "Requires improvement" in record.visits["rating"].to_list()
    assert record.suspended
    assert record.active_override["rag"] == "amber"
    body = texts(at)
    assert "New placements to this service are suspended" in body
    assert "Overridden to **◆ Amber**" in body
    # And the casework page's published list names it
    listing = open_page("casework.py")
    assert name in listing.dataframe[0].value["Service"].to_list()
    # When the suspension is lifted, it leaves the published list
    at.text_input(key="lift-reason").input("Enquiry closed")
    next(b for b in at.button if b.label == "Lift suspension").click().run()
    assert_clean(at)
    assert not casework.location_casework(app_env, location_id).suspended


def test_an_empty_note_is_refused_with_what_to_do(app_env: Path) -> None:
    location_id, _ = read(app_env, "select location_id, location_name from mart.locations where is_active "
                                   "order by location_id limit 1 offset 7")[0]
    at = open_page(location=location_id)
    next(b for b in at.button if b.label == "Save note").click().run()
    assert not at.exception
    assert any("Enter the note" in e for e in errors(at))
    assert casework.location_casework(app_env, location_id).notes.is_empty()


def test_data_quality_lists_every_load(app_env: Path) -> None:
    loads = read(app_env, "select count(*) from mart.ingest_batches")[0][0]
    at = open_page("data_quality.py")
    assert_clean(at)
    assert len(at.dataframe[0].value) == min(loads, 200)
    assert f"{fmt.plural(loads, 'load')} listed" in texts(at)


def test_data_quality_names_the_fee_benchmark_missing_for_the_scored_year(app_env: Path) -> None:
    # Given the demo scored in a financial year for which it holds no Homecare Association minimum
    # price (it holds the published 2024/25 and 2025/26 figures only)
    scored_on = read(app_env, "select max(as_of) from main.risk_scores")[0][0]
    year = vocab.financial_year(scored_on)
    held = {r[0] for r in read(app_env, "select distinct financial_year from mart.benchmarks "
                                        "where benchmark = 'homecare_association_minimum'")}
    assert year not in held
    # When the data quality page opens
    at = open_page("data_quality.py")
    # Then it says, for that year and that benchmark, that fees cannot be judged
    assert_clean(at)
    warned = [w.value for w in at.warning if "homecare_association_minimum" in w.value]
    assert len(warned) == 1 and year in warned[0] and fmt.long_date(scored_on) in warned[0]


def test_data_quality_shows_the_ratings_set_aside_by_a_cqc_load(tmp_path: Path, realdata: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a warehouse holding only the real Devon and Plymouth care homes, five of which have
    # pre-2014 compliance judgements in their history
    from market_oversight.ingest.cqc import ingest_cqc

    db = tmp_path / "warehouse.duckdb"
    loaded = ingest_cqc(db, str(realdata / "cqc_history_care_homes_devon_plymouth_2021-02"),
                        local_authority=None, api_key=None, progress=False)
    monkeypatch.setenv("MARKET_OVERSIGHT_DB", str(db))
    monkeypatch.setenv("MARKET_OVERSIGHT_DEMO", "1")
    # When a data officer opens the data quality page
    at = open_page("data_quality.py")
    # Then the load shows the ratings it set aside, and the chosen load lists them per home
    assert_clean(at)
    loads = at.dataframe[0].value
    row = loads[loads["Batch"] == loaded.batch_id].iloc[0]
    assert (row["Rows quarantined"], row["Ratings set aside"]) == (0, loaded.ratings_set_aside)
    assert loaded.ratings_set_aside > 0
    assert at.selectbox(key="dq-batch").value == loaded.batch_id
    listed = at.dataframe[-1].value
    assert len(listed) == 5 and all(set(r.split("; ")) == {"legacy_rating"} for r in listed["Rules broken"])
    assert all("the location and its other ratings were loaded" in p for p in listed["What to correct"])


def test_uploads_page_offers_every_kind_of_file(app_env: Path) -> None:
    at = open_page("uploads.py")
    assert_clean(at)
    assert at.title[0].value == "Load a file"
    assert len(at.radio(key="upload-kind").options) == 4


def test_an_unexpected_failure_shows_a_plain_message_not_a_traceback(app_env: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A fault injected into one query: nothing real fails on demand at this point.
    from market_oversight.queries import filters

    def broken(con):
        raise RuntimeError("boom")

    monkeypatch.setattr(filters, "choices", broken)
    common._cached_call.clear()
    at = open_page()
    assert not at.exception
    assert "Sorry, this page could not be shown" in errors(at)[0]
    assert "boom" not in errors(at)[0] and "Traceback" not in errors(at)[0]



@pytest.mark.slow
def test_a_returns_file_with_bad_rows_is_loaded_through_the_uploads_page(app_env: Path) -> None:
    # Given a care-home returns file with one good row and two bad ones
    home = read(app_env, "select location_id from mart.register where is_active and service_kind = 'care_home' "
                         "order by location_id limit 1")[0][0]
    data = ("location_id,period,beds,occupied_beds\n"
            f"{home},2026-10,30,25\n"
            f"{home},2026-09,n/a,25\n"
            "1-000000000,2026-10,30,20\n").encode()
    at = open_page("uploads.py")
    # When a data officer uploads it as monthly returns
    at.radio(key="upload-kind").set_value("returns")
    at.file_uploader(key="upload-file").upload("care_home_returns_2026-10.csv", data, "text/csv")
    at.run()
    at.button(key="upload-go").click().run(timeout=60)
    # Then the load runs in a process of its own while the page shows its progress
    job = at.session_state["upload-job"]
    assert job.pid != os.getpid()
    assert at.get("progress") and "seconds so far" in at.get("progress")[0].proto.text
    deadline = time.monotonic() + 300
    while "upload-job" in at.session_state and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run(timeout=60)
    # And when it ends, the batch summary shows one row loaded and two set aside, each with what to correct
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Rows read": "3", "Rows loaded": "1", "Rows set aside": "2"}
    assert "Loaded: 1 row stored, 2 rows set aside." in texts(at)
    quarantined = at.dataframe[0].value
    assert sorted(quarantined["Row"].to_list()) == [2, 3]
    assert all(quarantined["What to correct"].str.len() > 0)
    # And the data quality page lists the load first
    dq = open_page("data_quality.py")
    assert dq.dataframe[0].value.iloc[0]["Rows quarantined"] == 2
