"""Quality and impact indicators on hand-made cases at, just below and just above their thresholds."""

from __future__ import annotations

import json
from datetime import date

from tests.risk.conftest import HandMade, month
from market_oversight.risk.thresholds import load_thresholds

AS_OF = date(2026, 3, 15)


def raised(wh: HandMade, flag: str, as_of: date = AS_OF) -> dict[str, dict]:
    return {loc: flags[flag] for loc, flags in wh.score(as_of).items() if flag in flags}


def test_latest_overall_rating_on_or_before_the_as_of_date_counts(wh: HandMade) -> None:
    # given 'inad' rated Inadequate on the as-of date, 'ri' Requires improvement, 'later' Inadequate the day after
    for loc in ("inad", "ri", "later"):
        wh.location(loc, provider_id=loc, rated=date(2024, 1, 1))
    wh.rating("inad", AS_OF, "Inadequate", safe="Inadequate")
    wh.rating("ri", date(2025, 12, 1), "Requires improvement", well_led="Requires improvement")
    wh.rating("later", date(2026, 3, 16), "Inadequate")
    scored = wh.score(AS_OF)
    assert "overall_inadequate" in scored["inad"] and "rating_downgrade" in scored["inad"]
    assert "overall_requires_improvement" in scored["ri"] and "rating_downgrade" in scored["ri"]
    assert "safe_or_well_led_poor" in scored["inad"] and "safe_or_well_led_poor" in scored["ri"]
    assert not {"overall_inadequate", "rating_downgrade"} & set(scored.get("later", {}))
    assert scored["inad"]["rating_downgrade"]["evidence"]  # from Good to Inadequate, with dates
    assert "Good" in scored["inad"]["rating_downgrade"]["message"]
    # dates in sentences are written as people write them (AS_OF is 15 March 2026)
    assert scored["inad"]["overall_inadequate"]["message"] == "CQC rated it Inadequate overall on 15 March 2026"
    assert scored["ri"]["rating_downgrade"]["message"] == (
        "Overall rating fell from Good (1 January 2024) to Requires improvement (1 December 2025)")


def test_rating_overdue_grows_with_the_age_of_the_rating_by_its_rating(wh: HandMade) -> None:
    # given Good ratings exactly 12 months (at from_months), 11 (below), 13 (above) and 60 (past
    # max_months) old, and a Requires improvement rating 18 months old
    for loc, rated, rating in (("at", date(2025, 3, 15), "Good"), ("below", date(2025, 4, 15), "Good"),
                               ("above", date(2025, 2, 15), "Good"), ("old", date(2021, 3, 15), "Outstanding"),
                               ("ri", date(2024, 9, 15), "Requires improvement")):
        wh.location(loc, provider_id=loc, rated=None)
        wh.rating(loc, rated, rating)
    flags = raised(wh, "rating_overdue")
    graded = load_thresholds().indicator("rating_overdue")
    good, ri = graded.per_year["good"], graded.per_year["requires_improvement"]
    assert graded.params["from_months"] == 12 and graded.params["max_months"] == 48
    # then it is raised from 12 months, its points the rating's points a year times the age in years
    assert set(flags) == {"at", "above", "old", "ri"}
    assert flags["at"]["value"] == 12 and flags["at"]["threshold"] == 12
    assert flags["at"]["points"] == round(good * 12 / 12, 2)
    assert flags["above"]["points"] == round(good * 13 / 12, 2)
    # up to max_months only, and Outstanding counts as Good
    assert flags["old"]["value"] == 60 and flags["old"]["points"] == round(good * 48 / 12, 2)
    assert flags["ri"]["points"] == round(ri * 18 / 12, 2)
    assert flags["ri"]["message"] == "Requires improvement rating is 18 months old (since 15 September 2024)"
    assert json.loads(flags["ri"]["evidence"])["part"] == "requires_improvement"


def test_never_rated_after_twelve_months_registered(wh: HandMade) -> None:
    # given services registered exactly 12 months (at), 11 (below) and 13 (above) before, never rated
    for loc, registered in (("at", date(2025, 3, 15)), ("below", date(2025, 4, 15)),
                            ("above", date(2025, 2, 15))):
        wh.location(loc, registered=registered, rated=None, provider_id=loc)
    flags = raised(wh, "never_rated")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 12 and flags["at"]["threshold"] == 12
    assert "rating_overdue" not in wh.flags("above", AS_OF)  # the age of a rating, not of a registration


def test_ownership_type_from_the_provider(wh: HandMade) -> None:
    # given providers for profit, third sector and of unknown ownership
    for loc, kind in (("profit", "For-profit"), ("charity", "Third sector"), ("unknown", None)):
        wh.location(loc, provider_id=f"p-{loc}", kind="home_care")
        wh.add("cqc_providers", provider_id=f"p-{loc}", ownership_type=kind, snapshot_date=AS_OF,
               batch_id="b-cqc")
    flags = raised(wh, "ownership_type")
    assert set(flags) == {"profit"}
    assert flags["profit"]["message"] == "Provider's ownership type: For-profit"


def test_no_registered_manager_only_from_the_register_snapshot_on(wh: HandMade) -> None:
    wh.location("known", manager=False, snapshot=AS_OF, provider_id="a")
    wh.location("future", manager=False, snapshot=date(2026, 3, 16), provider_id="b")
    wh.location("managed", manager=True, snapshot=AS_OF, provider_id="c")
    assert set(raised(wh, "no_registered_manager")) == {"known"}


def test_council_quality_assessment_latest_visit_counts(wh: HandMade) -> None:
    for loc in ("poor", "improved", "later"):
        wh.location(loc, provider_id=loc)
    wh.add("quality_assessments", location_id="poor", visit_date=AS_OF, rating="Inadequate", assessor="ann")
    wh.add("quality_assessments", location_id="improved", visit_date=date(2025, 1, 1),
           rating="Requires improvement", assessor="ann")
    wh.add("quality_assessments", location_id="improved", visit_date=date(2026, 1, 1), rating="Good",
           assessor="ann")
    wh.add("quality_assessments", location_id="later", visit_date=date(2026, 3, 16), rating="Inadequate",
           assessor="ann")
    flags = raised(wh, "council_quality_poor")
    assert set(flags) == {"poor"}
    assert "ann" in str(flags["poor"]["evidence"])


def test_concerns_high_against_twice_the_local_median(wh: HandMade) -> None:
    # given four homes of 40 beds with 2 concerns in 6 months (median 0.05 a bed, threshold 0.10),
    # and homes with 4 (at), 3 (below) and 5 (above) concerns
    for i in range(4):
        wh.location(f"m{i}", provider_id=f"M{i}")
        wh.care_home_return(f"m{i}", month(AS_OF, 1), complaints=2)
    for loc, n in (("at", 4), ("below", 3), ("above", 5)):
        wh.location(loc, provider_id=loc)
        wh.care_home_return(loc, month(AS_OF, 1), safeguarding_concerns=n)
    flags = raised(wh, "concerns_high")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == flags["at"]["threshold"] == 0.1


def test_concerns_rising_by_three_or_more(wh: HandMade) -> None:
    for loc, recent in (("at", 6), ("below", 5), ("above", 7)):
        wh.location(loc, provider_id=loc)
        for back in (4, 5, 6):
            wh.care_home_return(loc, month(AS_OF, back), complaints=1)
        for back in (1, 2, 3):
            wh.care_home_return(loc, month(AS_OF, back), complaints=recent // 3 + (back <= recent % 3))
    flags = raised(wh, "concerns_rising")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 3


def test_council_funded_share_from_the_state_funded_share_of_its_source(wh: HandMade) -> None:
    # the source: about 37% of residents fund themselves (ONS 2022-23), so the state funds about 63%;
    # a home is flagged when its council-funded share reaches that, not for a share as common as 25%
    assert load_thresholds().indicator("council_funded_share").params["threshold"] == 0.63
    for loc, council in (("at", 63), ("below", 62), ("above", 64), ("typical_1_in_4", 25)):
        wh.location(loc, provider_id=loc)
        wh.care_home_return(loc, month(AS_OF, 1), residents_council=council, residents_nhs=0,
                            residents_self_funded=100 - council)
    wh.location("hc_at", kind="home_care", provider_id="hc_at")
    wh.home_care_return("hc_at", month(AS_OF, 1), people_council=63, people_nhs=7, people_self_funded=30)
    flags = raised(wh, "council_funded_share")
    assert set(flags) == {"at", "above", "hc_at"}
    assert flags["at"]["points"] == 15.75  # 25 points x 63%
    assert flags["above"]["value"] == 0.64


def test_people_affected_and_local_capacity_share(wh: HandMade) -> None:
    # given one 60-bed home and one 30-bed home in the area, 1 bed in another area's 50-bed market
    wh.location("big", beds=60, provider_id="a")
    wh.location("small", beds=30, provider_id="b")
    wh.location("tiny", beds=1, la="Bury", provider_id="c")
    wh.location("other", beds=49, la="Bury", provider_id="d")
    scored = wh.score(AS_OF)
    assert scored["big"]["people_affected"]["points"] == 40  # full points at 60 beds
    assert scored["big"]["people_affected"]["message"] == "60 beds affected if it fails"
    assert scored["tiny"]["people_affected"]["message"] == "1 bed affected if it fails"
    assert scored["small"]["people_affected"]["points"] == 20
    assert scored["big"]["local_capacity_share"]["value"] == round(60 / 90, 6)
    assert scored["tiny"]["local_capacity_share"]["value"] == 0.02  # at the threshold: raised
    assert scored["tiny"]["local_capacity_share"]["points"] == 4.0  # 20 x 0.02 / 0.10


def test_hard_to_replace_nursing_dementia_or_few_alternatives(wh: HandMade) -> None:
    # given 5 ordinary homes in Oldham (4 alternatives each: below 5), 6 in Bury (5 each: at 5)
    for i in range(5):
        wh.location(f"o{i}", provider_id=f"o{i}")
    for i in range(6):
        wh.location(f"b{i}", la="Bury", provider_id=f"b{i}",
                    specialisms=["Dementia"] if i == 0 else [])
    flags = raised(wh, "hard_to_replace")
    assert {f"o{i}" for i in range(5)} <= set(flags)
    assert set(flags) & {f"b{i}" for i in range(6)} == {"b0"}  # only the dementia home


def test_key_questions_poor_from_two_at_the_latest_report(wh: HandMade) -> None:
    # given at the latest report two poor key questions (at the minimum), one (below), three (above),
    # and a home whose two poor key questions were at an earlier report only
    cases = {"at": {"safe": "Requires improvement", "well_led": "Inadequate", "caring": "Good"},
             "below": {"safe": "Requires improvement", "caring": "Good"},
             "above": {"safe": "Inadequate", "effective": "Requires improvement",
                       "responsive": "Requires improvement"}}
    for loc, kqs in cases.items():
        wh.location(loc, provider_id=loc, rated=None)
        wh.rating(loc, date(2025, 10, 1), "Requires improvement", **kqs)
    wh.location("earlier", provider_id="earlier", rated=None)
    wh.rating("earlier", date(2024, 1, 1), "Requires improvement", safe="Inadequate", well_led="Inadequate")
    wh.rating("earlier", date(2025, 10, 1), "Good", safe="Good", well_led="Good")
    flags = raised(wh, "key_questions_poor")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 2 and flags["at"]["threshold"] == 2
    assert flags["above"]["value"] == 3
    assert flags["at"]["points"] == load_thresholds().indicator("key_questions_poor").points
    assert flags["at"]["message"] == ("2 of five key questions rated Requires improvement or Inadequate "
                                      "on 1 October 2025 (safe, well-led)")


def test_rated_poor_before_only_for_a_good_rating_after_a_poor_one(wh: HandMade) -> None:
    # given Good after Requires improvement (raised), Good after Good, Requires improvement after
    # Inadequate (still poor: not a recovery), and Good after a poor rating dated after the as-of date
    history = {"recovered": [("Requires improvement", date(2023, 5, 1)), ("Good", date(2025, 1, 1))],
               "steady": [("Good", date(2023, 5, 1)), ("Good", date(2025, 1, 1))],
               "still_poor": [("Inadequate", date(2023, 5, 1)), ("Requires improvement", date(2025, 1, 1))],
               "future": [("Good", date(2025, 1, 1)), ("Requires improvement", date(2026, 3, 16))]}
    for loc, reports in history.items():
        wh.location(loc, provider_id=loc, rated=None)
        for rating, on in reports:
            wh.rating(loc, on, rating)
    flags = raised(wh, "rated_poor_before")
    assert set(flags) == {"recovered"}
    assert flags["recovered"]["message"] == ("Rated Good on 1 January 2025, after Requires improvement "
                                             "on 1 May 2023")


def test_large_home_from_forty_beds(wh: HandMade) -> None:
    # given care homes of 40 (at), 39 (below) and 41 (above) beds, and a home-care service
    for loc, beds in (("at", 40), ("below", 39), ("above", 41)):
        wh.location(loc, provider_id=loc, beds=beds)
    wh.location("agency", provider_id="agency", kind="home_care", beds=None)
    flags = raised(wh, "large_home")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 40 and flags["at"]["threshold"] == 40
    assert flags["above"]["message"] == "41 registered beds"  # after its label, "Large care home"
