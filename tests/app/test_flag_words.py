"""Flags in words: every indicator has a label, sentences have their figures formatted, and evidence
is a small table with no raw keys or lists."""

from __future__ import annotations

import json
import re
import tomllib

import polars as pl

from market_oversight import flag_words
from market_oversight.paths import PROJECT_ROOT

THRESHOLDS = PROJECT_ROOT / "market_oversight" / "risk" / "thresholds.toml"
RAW = re.compile(r"[a-z]+_[a-z_]+|\[|\]|\{|\}|None")


def test_every_indicator_in_the_thresholds_has_a_label_in_words() -> None:
    indicators = tomllib.loads(THRESHOLDS.read_text())["indicators"]
    missing = sorted(set(indicators) - set(flag_words.INDICATOR_LABELS))
    assert not missing, f"add a label to flag_words.INDICATOR_LABELS for {missing}"
    assert all("_" not in label for label in flag_words.INDICATOR_LABELS.values())
    assert len(set(flag_words.INDICATOR_LABELS.values())) == len(flag_words.INDICATOR_LABELS)


def test_causes_come_before_impact_items_each_largest_first() -> None:
    flags = pl.DataFrame({"flag": ["people_affected", "low_occupancy", "hard_to_replace", "overall_inadequate"],
                          "domain": ["impact", "sustainability", "impact", "quality"],
                          "points": [30.0, 10.0, 5.0, 60.0]})
    assert flag_words.causes_first(flags)["flag"].to_list() == [
        "overall_inadequate", "low_occupancy", "people_affected", "hard_to_replace"]
    assert flag_words.labels(["overall_inadequate", "low_occupancy"]) == "Rated Inadequate overall; Low occupancy"


def test_a_column_of_flag_lists_reads_as_labels_does_row_by_row() -> None:
    lists = [["low_occupancy", "overall_inadequate"], [], None, ["a_flag_not_known", "low_occupancy"],
             ["people_affected"]]
    df = pl.DataFrame({"causes": lists}, schema={"causes": pl.List(pl.String)})

    cells = df.select(flag_words.labels_column(df, "causes")).to_series().to_list()

    assert cells == [None if flags is None else flag_words.labels(flags) for flags in lists]
    assert cells[0] == "Low occupancy; Rated Inadequate overall"
    assert cells[3] == "A flag not known; Low occupancy"
    assert df.head(0).select(flag_words.labels_column(df.head(0), "causes")).height == 0


def test_a_sentence_is_the_stored_message_capitalised_else_the_label() -> None:
    # the indicators write their own sentences with figures formatted (tests/risk checks them)
    assert flag_words.sentence("low_occupancy", "Occupancy 71.0% in July 2026", "{}") == "Occupancy 71.0% in July 2026"
    assert flag_words.sentence("people_affected", "one bed affected") == "One bed affected"
    assert flag_words.sentence("low_occupancy", None) == flag_words.label("low_occupancy")


def test_evidence_is_a_small_table_in_words_with_lists_as_tables_of_their_own() -> None:
    evidence = {"returns": [{"period": "2026-07-01", "due_date": "2026-08-15", "status": "missing", "received": None},
                            {"period": "2026-08-01", "due_date": "2026-09-15", "status": "late",
                             "received": "2026-09-20"}],
                "source": "provider returns against the returns calendar"}
    tables = flag_words.evidence_tables(json.dumps(evidence))
    assert tables.facts.rows() == [("Returns", "2"), ("Where this comes from",
                                                      "provider returns against the returns calendar")]
    (title, listed), = tables.lists
    assert title == "Returns"
    assert listed.rows() == [("July 2026", "15 August 2026", "Missing", "Not received"),
                             ("August 2026", "15 September 2026", "Late", "20 September 2026")]
    assert listed.columns == ["Month", "Due", "Status", "Received"]


def test_no_evidence_key_or_value_reaches_people_raw() -> None:
    evidence = {"agency_hours": 412.4, "hours": 1000.0, "months": 3,
                "source": "provider returns: agency_hours / hours paid or delivered",
                "key_questions": ["safe", "well_led"], "occupancy": 0.712, "care_category": "nursing_dementia",
                "fee": 900.0, "unit": "week", "report_date": "2026-03-03", "accepting_admissions": False,
                "an_unknown_key": ["a", "b"]}
    facts = dict(flag_words.evidence_tables(evidence).facts.rows())
    assert facts == {
        "Hours worked by agency staff": "412 hours",
        "All hours worked": "1,000 hours", "Months counted": "3 months",
        "Where this comes from": "provider returns: agency hours / hours paid or delivered",
        "Key questions rated poorly": "Safe, Well-led", "Occupancy": "71.2%",
        "Care category": "Nursing (dementia)", "Fee paid": "£900.00 a week", "Report date": "3 March 2026",
        "Taking admissions": "No", "An unknown key": "a, b"}
    for what, value in facts.items():
        assert not RAW.search(what) and not RAW.search(value), (what, value)
