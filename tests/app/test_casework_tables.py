"""The casework page's tables (queries/casework_tables.py), from frames shaped as the casework
file and the location names give them: no Streamlit, no warehouse."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from market_oversight.queries import casework_tables as tables

TODAY = date(2026, 12, 7)
NAMES = pl.DataFrame({"location_id": ["1-A", "1-B"], "location_name": ["Oak House", "Elm Lodge"],
                      "rag": ["red", "amber"]})


def test_location_ids_are_each_location_once_in_order() -> None:
    assert tables.location_ids(pl.DataFrame({"location_id": ["1-B", "1-A"]}),
                               pl.DataFrame({"location_id": ["1-A", "1-C"]})) == ("1-A", "1-B", "1-C")


def test_open_actions_count_the_overdue_and_name_each_location_or_give_its_id() -> None:
    # Given two open actions, one due yesterday at a location the register does not name
    actions = pl.DataFrame({"location_id": ["1-A", "1-Z"], "title": ["Staffing plan", "Visit"],
                            "owner": ["Sam", "Ali"], "due_date": [date(2026, 12, 20), date(2026, 12, 6)]})
    # When the table is made
    sentence, table = tables.open_actions(actions, NAMES, TODAY)
    # Then the sentence and the rows say which is overdue, in words, with a link to each profile
    assert sentence == "2 open actions, 1 overdue."
    assert table.to_dicts() == [
        {"Location": "Oak House", "Action": "Staffing plan", "Owner": "Sam", "Due": "20 December 2026",
         "Overdue": "", "Profile": "profile?location=1-A"},
        {"Location": "1-Z", "Action": "Visit", "Owner": "Ali", "Due": "6 December 2026",
         "Overdue": "Overdue", "Profile": "profile?location=1-Z"}]


def test_only_lifted_suspensions_are_listed_as_lifted() -> None:
    suspensions = pl.DataFrame({
        "location_id": ["1-A", "1-B"], "is_current": [False, True],
        "imposed_on": [date(2026, 3, 1), date(2026, 11, 1)], "lifted_on": [date(2026, 5, 2), None],
        "reason": ["Staffing", "Safeguarding"], "lift_reason": ["Staff recruited", None]})
    assert tables.lifted_suspensions(suspensions, NAMES).to_dicts() == [
        {"Service": "Oak House", "Suspended on": "1 March 2026", "Lifted on": "2 May 2026",
         "Reason": "Staffing", "Why lifted": "Staff recruited"}]


def test_overrides_in_force_show_the_rag_set_beside_the_rag_now() -> None:
    overrides = pl.DataFrame({
        "location_id": ["1-B", "1-A"], "is_active": [True, False], "rag": ["red", "green"],
        "reason": ["Visit found neglect", "Withdrawn"], "created_by": ["sam@council.example"] * 2,
        "expires_on": [date(2027, 1, 31), date(2026, 6, 1)]})
    assert tables.overrides_in_force(overrides, NAMES).to_dicts() == [
        {"Location": "Elm Lodge", "RAG set": "▲ Red", "RAG in force": "◆ Amber", "Reason": "Visit found neglect",
         "By": "sam@council.example", "Until": "31 January 2027"}]


def test_notes_and_visits_read_in_words() -> None:
    notes = pl.DataFrame({"location_id": ["1-A"], "created_at": [datetime(2026, 12, 7, 9, 5)],
                          "author": ["sam@council.example"], "body": ["Manager left"]})
    visits = pl.DataFrame({"location_id": ["1-B"], "visit_date": [date(2026, 11, 30)],
                           "rating": ["Requires improvement"], "assessor": ["Ali"], "summary": [None]},
                          schema_overrides={"summary": pl.String})
    assert tables.latest_notes(notes, NAMES).to_dicts() == [
        {"When": "7 December 2026 at 9:05am", "Location": "Oak House", "By": "sam@council.example",
         "Note": "Manager left"}]
    assert tables.latest_visits(visits, NAMES).to_dicts() == [
        {"Visit date": "30 November 2026", "Location": "Elm Lodge", "Council's rating": "◆ Requires improvement",
         "Assessor": "Ali", "Summary": None}]


def test_a_tab_says_when_it_shows_only_the_newest() -> None:
    three = pl.DataFrame({"location_id": ["1-A", "1-B", "1-C"]})
    assert tables.latest_label("Latest quality visits", three, 3) == "Latest quality visits (newest 3)"
    assert tables.latest_label("Latest notes", three, 200) == "Latest notes (3)"


def test_the_profile_panels_tabs_and_tables_read_in_words() -> None:
    actions = pl.DataFrame({"title": ["Staffing plan", "Fire check"], "owner": ["Sam", "Ali"],
                            "due_date": [date(2026, 12, 20), date(2026, 11, 1)], "status": ["open", "done"],
                            "created_by": ["sam@council.example"] * 2})
    suspensions = pl.DataFrame({
        "imposed_on": [date(2026, 3, 1)], "scope": ["partial"], "categories": [["nursing_dementia"]],
        "review_on": [date(2026, 4, 1)], "reason": ["Falls"], "imposed_by": ["sam@council.example"],
        "lifted_on": [date(2026, 5, 2)], "lift_reason": ["Falls plan in place"]})
    empty = pl.DataFrame({"location_id": []}, schema={"location_id": pl.String})
    assert tables.panel_tabs(empty, actions, empty, suspensions) == [
        "Notes (0)", "Actions (1 open)", "Quality visits (0)", "Suspensions (1)", "RAG override"]
    assert tables.location_actions(actions).row(1) == (
        "Fire check", "Ali", "1 November 2026", "Done", "sam@council.example")
    assert tables.location_suspensions(suspensions).row(0, named=True) | {"Scope": None} == {
        "Suspended on": "1 March 2026", "Scope": None, "Review": "1 April 2026", "Reason": "Falls",
        "By": "sam@council.example", "Lifted on": "2 May 2026", "Why lifted": "Falls plan in place"}
    assert "dementia" in tables.location_suspensions(suspensions)["Scope"][0].lower()
