"""The provider-concerns panel's headings, lines and tables, from a location's concerns, without
Streamlit."""

from __future__ import annotations

from datetime import date

import polars as pl

from market_oversight.queries import concerns_tables as tables

OPEN = {"concern_id": "c1", "location_id": None, "provider_id": "1-101", "stage": "serious_concerns",
        "stage_since": date(2026, 11, 2), "is_open": True, "closed_on": None, "lead_officer": "ann@council.example",
        "agencies": ["CQC", "ICB"], "opened_on": date(2026, 10, 1), "opened_by": "bob@council.example"}


def test_a_concern_is_headed_by_its_stage_and_what_it_is_about() -> None:
    assert tables.heading(OPEN, "Alder Care Ltd") == \
        "Serious concerns since 2 November 2026, about every service of Alder Care Ltd"
    assert tables.heading(OPEN, None).endswith("about every service of 1-101")
    closed = OPEN | {"location_id": "1-1", "is_open": False, "closed_on": date(2026, 11, 30)}
    assert tables.heading(closed, "Alder Care Ltd") == "Closed 30 November 2026: serious concerns, about this service"
    assert tables.opened_line(OPEN | {"agencies": []}) == (
        "Lead officer: ann@council.example. Agencies: none recorded. Opened 1 October 2026 by bob@council.example.")


def test_one_concerns_rows_are_kept_apart_from_anothers_and_counted_on_its_tabs() -> None:
    stages = pl.DataFrame({"concern_id": ["c1", "c2", "c1"], "entered_on": [date(2026, 10, 1)] * 3,
                           "stage": ["enhanced_monitoring", "enhanced_monitoring", "serious_concerns"],
                           "reason": ["Complaints <b>up</b>", "x", "Enquiry"], "recorded_by": ["ann"] * 3})
    meetings = pl.DataFrame({"concern_id": ["c2"], "meeting_date": [date(2026, 10, 5)]})
    actions = pl.DataFrame({"concern_id": ["c1", "c1"], "plan_action_id": ["a1", "a2"],
                            "title": ["Train staff", "Audit meds"], "owner": ["Home manager"] * 2,
                            "due_date": [date(2026, 12, 1), date(2026, 11, 1)], "done_on": [None, date(2026, 11, 3)]})
    enquiries = pl.DataFrame({"concern_id": ["c1"], "reference": ["SG-12"], "enquiry_date": [date(2026, 10, 9)],
                              "recorded_by": ["ann"]})
    mine = tables.parts("c1", stages, meetings, actions, enquiries)
    assert mine.tab_labels(can_change=False) == ["Stages (2)", "Meetings (0)", "Improvement plan (1 open)",
                                                 "Safeguarding enquiries (1)"]
    assert mine.tab_labels(can_change=True)[-1] == "Change stage or close"
    assert mine.stages_for_people().rows() == [("1 October 2026", "Enhanced monitoring", "Complaints <b>up</b>", "ann"),
                                                ("1 October 2026", "Serious concerns", "Enquiry", "ann")]
    assert mine.actions_for_people()["Done"].to_list()[1] == "3 November 2026"
    assert mine.enquiries_for_people().rows() == [("SG-12", "9 October 2026", "ann")]
    assert tables.open_action_labels(mine.open_actions) == {"a1": "Train staff (due 1 December 2026)"}
