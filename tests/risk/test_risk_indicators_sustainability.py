"""Each sustainability indicator on hand-made cases at, just below and just above its threshold.

One warehouse per indicator; locations `at`, `below` and `above` are separate providers' homes with
values set at, just below and just above the indicator's threshold."""

from __future__ import annotations

import pytest
from datetime import date, datetime

from tests.risk.conftest import HandMade, month

AS_OF = date(2026, 3, 15)


def raised(wh: HandMade, flag: str, as_of: date = AS_OF) -> dict[str, dict]:
    """{location_id: flag row} for the locations that raise `flag`."""
    return {loc: flags[flag] for loc, flags in wh.score(as_of).items() if flag in flags}


def three_homes(wh: HandMade, kind: str = "care_home", beds: int = 40) -> None:
    for i, loc in enumerate(("at", "below", "above")):
        wh.location(loc, kind=kind, provider_id=f"P{i}", beds=beds)


def test_low_occupancy_is_raised_strictly_below_the_threshold(wh: HandMade) -> None:
    # given occupancy of 32/40 = 0.80 (at), 31/40 just below, 33/40 just above the 0.80 threshold
    three_homes(wh)
    for loc, occupied in (("at", 32), ("below", 31), ("above", 33)):
        wh.months_of_returns(loc, AS_OF, months=3, occupied_beds=occupied)
    # when scored
    flags = raised(wh, "low_occupancy")
    # then only the home below 80% is flagged, with its evidence
    assert set(flags) == {"below"}
    assert flags["below"]["value"] == 0.775 and flags["below"]["threshold"] == 0.80
    assert "31 of 40 beds" in flags["below"]["message"]


@pytest.mark.slow
def test_occupancy_counts_only_from_five_beds(wh: HandMade) -> None:
    # given homes of 5 (at the minimum), 4 (below) and 6 (above) beds, each with two beds empty and
    # full three months before
    for i, beds in enumerate((5, 4, 6)):
        loc = ("at", "below", "above")[i]
        wh.location(loc, provider_id=f"P{i}", beds=beds)
        wh.care_home_return(loc, month(AS_OF, 4), beds=beds, occupied_beds=beds)
        wh.care_home_return(loc, month(AS_OF, 1), beds=beds, occupied_beds=beds - 2)
    # then occupancy speaks for the homes of 5 beds or more only
    assert set(raised(wh, "low_occupancy")) == {"at", "above"}
    assert set(raised(wh, "occupancy_falling")) == {"at", "above"}


def test_occupancy_falling_at_five_points_is_raised(wh: HandMade) -> None:
    # given occupancy 90% in November and 85%, 86% or 84% in February (100 beds)
    three_homes(wh, beds=100)
    for loc, now in (("at", 85), ("below", 86), ("above", 84)):
        wh.care_home_return(loc, month(AS_OF, 4), beds=100, occupied_beds=90)
        wh.care_home_return(loc, month(AS_OF, 1), beds=100, occupied_beds=now)
    flags = raised(wh, "occupancy_falling")
    # then a fall of 5 points or more is flagged, said in percentage points with the months
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 0.05
    assert flags["at"]["message"] == ("Occupancy fell 5.0 percentage points in three months, from 90.0% "
                                      "in November 2025 to 85.0% in February 2026")


def test_beds_closed_to_admissions(wh: HandMade) -> None:
    # given 10 vacant beds of 40, of which 4 (at 10%), 3 (below) or 5 (above) are closed to admissions
    three_homes(wh)
    for loc, accepting in (("at", 6), ("below", 7), ("above", 5)):
        wh.care_home_return(loc, month(AS_OF, 1), occupied_beds=30, vacant_beds_accepting=accepting)
    flags = raised(wh, "beds_closed_to_admissions")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 0.10


def test_agency_reliance(wh: HandMade) -> None:
    three_homes(wh)
    for loc, agency in (("at", 150.0), ("below", 149.0), ("above", 151.0)):
        wh.care_home_return(loc, month(AS_OF, 1), hours_paid=1000.0, agency_hours=agency)
    flags = raised(wh, "agency_reliance")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 0.15
    assert flags["at"]["message"] == "Agency staff worked 15% of hours over 1 month"  # not "1 months"


def test_staff_vacancies(wh: HandMade) -> None:
    # given vacancies / (employed + vacancies) of 5/50, 4/49 and 6/51 against 0.10
    three_homes(wh)
    for loc, vacancies in (("at", 5), ("below", 4), ("above", 6)):
        wh.care_home_return(loc, month(AS_OF, 1), nurses_employed=0, care_workers_employed=45,
                            staff_vacancies=vacancies)
    flags = raised(wh, "staff_vacancies")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 0.10


def test_staff_turnover_annualised_over_twelve_returns(wh: HandMade) -> None:
    # given 40 staff and 12, 11 or 13 leavers over 12 months against 30% a year
    three_homes(wh)
    for loc, total in (("at", 12), ("below", 11), ("above", 13)):
        for back in range(1, 13):
            leavers = 1 if back <= 11 else total - 11
            wh.care_home_return(loc, month(AS_OF, back), leavers=leavers)
    flags = raised(wh, "staff_turnover")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 0.30


def test_packages_handed_back(wh: HandMade) -> None:
    three_homes(wh, kind="home_care")
    for loc, pct in (("at", 5.0), ("below", 4.9), ("above", 5.1)):
        for back in (1, 2, 3):
            wh.home_care_return(loc, month(AS_OF, back), packages_handed_back_pct=pct)
    flags = raised(wh, "packages_handed_back")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["message"] == "Handed back 5.0% of packages on average over 3 months"


def test_no_capacity_for_hours_counts_the_latest_run_of_no(wh: HandMade) -> None:
    # given the latest 3, 2 or 4 returns saying 'cannot take more hours', after a 'yes'
    three_homes(wh, kind="home_care")
    for loc, run in (("at", 3), ("below", 2), ("above", 4)):
        for back in range(1, 7):
            wh.home_care_return(loc, month(AS_OF, back), can_take_more_hours=back > run)
    flags = raised(wh, "no_capacity_for_hours")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 3


def test_fee_below_benchmark_is_raised_only_below_it(wh: HandMade) -> None:
    # given weekly fees of 1000 (at), 999 (below) and 1001 (above) a benchmark of 1000 for 2025/26
    three_homes(wh)
    for loc, fee in (("at", 1000.0), ("below", 999.0), ("above", 1001.0)):
        wh.add("fee_rates", location_id=loc, provider_id=None, care_category="residential_dementia", amount=fee,
               unit="week", effective_from=date(2025, 4, 1), effective_to=None, funder="council",
               batch_id="b-fee", row_number=1)
    wh.add("benchmarks", financial_year="2025/26", care_category="residential_dementia",
           benchmark="fair_cost_of_care_median", amount=1000.0, unit="week", source="council",
           batch_id="b-bm", row_number=1)
    flags = raised(wh, "fee_below_benchmark")
    assert set(flags) == {"below"}
    assert flags["below"]["value"] == 0.999
    # money with thousands separators, the category in words
    assert flags["below"]["message"] == ("Fee £999.00 per week for residential dementia care is 100% of the "
                                         "fair cost of care median benchmark of £1,000.00 (2025/26)")


def test_late_and_missing_returns(wh: HandMade) -> None:
    # given the last three returns due (Dec, Jan, Feb; due the 14th of the next month):
    # 'at' misses two, 'below' sends one late, 'above' sends none; 'on_time' sends all on time
    three_homes(wh)
    wh.location("on_time", provider_id="P9")
    wh.care_home_return("at", month(AS_OF, 3))
    wh.care_home_return("below", month(AS_OF, 3))
    wh.care_home_return("below", month(AS_OF, 2))
    wh.care_home_return("below", month(AS_OF, 1), submitted=datetime(2026, 3, 15, 8))  # after 14 March
    for back in (1, 2, 3):
        wh.care_home_return("on_time", month(AS_OF, back))
    flags = raised(wh, "late_missing_returns")
    assert set(flags) == {"at", "above"}
    assert flags["at"]["value"] == 2 and flags["above"]["value"] == 3


@pytest.mark.slow
def test_group_stress_needs_two_flagged_locations_and_half_the_group(wh: HandMade) -> None:
    # given provider G with 3 homes, 2 of them flagged (low occupancy); provider H with 4 homes, 1 flagged
    for loc in ("g1", "g2", "g3"):
        wh.location(loc, provider_id="G")
    for loc in ("h1", "h2", "h3", "h4"):
        wh.location(loc, provider_id="H")
    for loc in ("g1", "g2", "g3", "h1", "h2", "h3", "h4"):
        wh.months_of_returns(loc, AS_OF, months=3, occupied_beds=20 if loc in ("g1", "g2", "h1") else 38)
    # and provider K with 2 homes whose Good ratings are old (rating_overdue, not a serious flag)
    for loc in ("k1", "k2"):
        wh.location(loc, provider_id="K", rated=date(2022, 1, 1))
        wh.months_of_returns(loc, AS_OF, months=3, occupied_beds=38)
    assert "rating_overdue" in wh.flags("k1", AS_OF)
    flags = raised(wh, "group_stress")
    # then every G home is flagged (2 of 3 >= 2 and >= half), no H home is (1 of 4), no K home is
    assert set(flags) == {"g1", "g2", "g3"}
    assert flags["g3"]["value"] == 2
    assert flags["g3"]["message"] == "2 of the provider's 3 locations have a serious flag"


def test_group_stress_by_brand_across_its_providers(wh: HandMade) -> None:
    # given brand B of four homes, each under a provider of its own: two with low occupancy (at the
    # minimum of two, and half); brand C of three homes, one with low occupancy (below)
    for i, loc in enumerate(("b1", "b2", "b3", "b4")):
        wh.location(loc, provider_id=f"PB{i}", brand="B")
    for i, loc in enumerate(("c1", "c2", "c3")):
        wh.location(loc, provider_id=f"PC{i}", brand="C")
    for loc in ("b1", "b2", "b3", "b4", "c1", "c2", "c3"):
        wh.months_of_returns(loc, AS_OF, months=3, occupied_beds=20 if loc in ("b1", "b2", "c1") else 38)
    flags = raised(wh, "group_stress")
    # then every home of brand B is flagged, named by its brand; none of brand C (1 of 3)
    assert set(flags) == {"b1", "b2", "b3", "b4"}
    assert flags["b3"]["value"] == 2
    assert flags["b3"]["message"] == "2 of the 4 locations of the brand BRAND B have a serious flag"


def test_company_filing_within_the_window(wh: HandMade) -> None:
    three_homes(wh)
    wh.add("cqc_providers", provider_id="P1", provider_name="Below Ltd", companies_house_number="00123",
           snapshot_date=date(2020, 1, 1), batch_id="b")
    wh.add("company_signals", provider_id="P0", companies_house_number=None, signal="accounts_overdue",
           signal_date=date(2025, 3, 16), detail=None, source="f.csv", loaded_at=datetime(2026, 1, 1))
    wh.add("company_signals", provider_id=None, companies_house_number="123", signal="insolvency_notice",
           signal_date=date(2026, 3, 15), detail=None, source="f.csv", loaded_at=datetime(2026, 1, 1))
    wh.add("company_signals", provider_id="P2", companies_house_number=None, signal="accounts_overdue",
           signal_date=date(2025, 3, 15), detail=None, source="f.csv", loaded_at=datetime(2026, 1, 1))
    flags = raised(wh, "company_filing")
    # then signals dated in the 12 months up to the as-of date count, matched by company number too
    assert set(flags) == {"at", "below"}
    assert "insolvency notice" in flags["below"]["message"]
