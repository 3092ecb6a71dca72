"""Quality and impact indicators on hand-made cases at, just below and just above their thresholds."""

from __future__ import annotations

from datetime import date, datetime

from conftest import HandMade, month
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


def test_rating_overdue_in_bands_of_months_since_the_last_rated_report(wh: HandMade) -> None:
    # given ratings exactly 12 months (at the first band), 11 (below), 13 (above) and 18 (the
    # second band) months old; bands [12, 18, ...] with their own points
    for loc, rated in (("at", date(2025, 3, 15)), ("below", date(2025, 4, 15)),
                       ("above", date(2025, 2, 15)), ("second", date(2024, 9, 15))):
        wh.location(loc, provider_id=loc, rated=None)
        wh.rating(loc, rated, "Good")
    flags = raised(wh, "rating_overdue")
    assert set(flags) == {"at", "above", "second"}
    bands = load_thresholds().indicator("rating_overdue")
    assert flags["at"]["value"] == 12 and flags["at"]["threshold"] == 12
    assert flags["at"]["points"] == bands.params["band_points"][0]
    assert flags["above"]["value"] == 13 and flags["above"]["threshold"] == 12
    assert flags["second"]["value"] == 18 and flags["second"]["threshold"] == 18
    assert flags["second"]["points"] == bands.params["band_points"][1]
    assert flags["second"]["message"] == "Good rating is 18 months old (since 15 September 2024)"


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


def test_council_funded_share_points_grow_with_the_share(wh: HandMade) -> None:
    for loc, council in (("at", 25), ("below", 24), ("above", 26)):
        wh.location(loc, provider_id=loc)
        wh.care_home_return(loc, month(AS_OF, 1), residents_council=council, residents_nhs=0,
                            residents_self_funded=100 - council)
    flags = raised(wh, "council_funded_share")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["points"] == 6.25  # 25 points x 25%


def test_people_affected_and_local_capacity_share(wh: HandMade) -> None:
    # given one 60-bed home and one 30-bed home in the area, 1 bed in another area's 50-bed market
    wh.location("big", beds=60, provider_id="a")
    wh.location("small", beds=30, provider_id="b")
    wh.location("tiny", beds=1, la="Bury", provider_id="c")
    wh.location("other", beds=49, la="Bury", provider_id="d")
    scored = wh.score(AS_OF)
    assert scored["big"]["people_affected"]["points"] == 40  # full points at 60 beds
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
