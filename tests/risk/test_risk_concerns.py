"""Provider concerns and placement suspensions as hard floors of the RAG in force (mart.risk_history):
serious concerns or a large-scale enquiry is red, enhanced monitoring at least amber, a suspension
of any scope red; a person's override still wins."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.risk.conftest import HandMade
from market_oversight import casework, concerns, store
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds
from market_oversight.roles import Role, User

AS_OF = date(2026, 3, 15)
TODAY = date.today()
CM = User("cm@council.example", "Casey", Role.CONTRACT_MANAGER)


def scored(wh: HandMade) -> None:
    # G: nothing wrong (green); H and K: another provider's homes, green too; R: Inadequate (red)
    wh.location("G", provider_id="P1")
    wh.location("H", provider_id="P2")
    wh.location("K", provider_id="P2")
    wh.location("R", provider_id="P3", rated=date(2024, 1, 1))
    wh.rating("R", date(2026, 1, 1), "Inadequate")
    wh.build()
    engine.score(wh.path, load_thresholds(), [AS_OF])


def rag(wh: HandMade) -> dict[str, tuple[str, str]]:
    """(rag in force, computed rag) per location, through a job's open (which refreshes the mirror)."""
    with store.warehouse(wh.path, publish=False) as con:
        rows = store.frame(con, "select location_id, rag, computed_rag from mart.risk_current").rows()
    return {loc: (r, c) for loc, r, c in rows}


def open_at(wh: HandMade, stage: str, **about: str) -> str:
    return concerns.open_concern(wh.path, CM, stage=stage, opened_on=TODAY, lead_officer="Ann Lead",
                                 agencies=["CQC", "ICB"], reason="Safeguarding alerts", **about)


def test_green_to_start_with(wh: HandMade) -> None:
    scored(wh)
    assert rag(wh) == {"G": ("green", "green"), "H": ("green", "green"), "K": ("green", "green"),
                       "R": ("red", "red")}


@pytest.mark.parametrize("stage, expected", [
    ("enhanced_monitoring", "amber"), ("serious_concerns", "red"), ("large_scale_enquiry", "red")])
def test_each_stage_floors_the_rag_of_the_location(wh: HandMade, stage: str, expected: str) -> None:
    scored(wh)
    open_at(wh, stage, location_id="G")
    now = rag(wh)
    assert now["G"] == (expected, "green")       # the score's own RAG is kept beside it
    assert now["H"] == ("green", "green")        # no other location moves
    assert now["R"] == ("red", "red")            # enhanced monitoring never lowers a red


def test_a_provider_concern_floors_every_location_of_the_provider(wh: HandMade) -> None:
    scored(wh)
    open_at(wh, "serious_concerns", provider_id="P2")
    now = rag(wh)
    assert now["H"][0] == now["K"][0] == "red" and now["G"][0] == "green"


def test_stage_changes_and_closing_move_the_rag(wh: HandMade) -> None:
    scored(wh)
    cid = open_at(wh, "enhanced_monitoring", location_id="G")
    assert rag(wh)["G"][0] == "amber"
    concerns.change_stage(wh.path, CM, cid, "serious_concerns", TODAY, "Second alert")
    assert rag(wh)["G"][0] == "red"
    concerns.change_stage(wh.path, CM, cid, "enhanced_monitoring", TODAY, "Plan on track")
    assert rag(wh)["G"][0] == "amber"
    concerns.close_concern(wh.path, CM, cid, TODAY, "Plan completed")
    assert rag(wh)["G"][0] == "green"


def test_a_concern_opened_after_an_earlier_score_does_not_rewrite_it(wh: HandMade) -> None:
    wh.location("G")
    wh.build()
    engine.score(wh.path, load_thresholds(), [date(2026, 1, 15), AS_OF])
    open_at(wh, "serious_concerns", location_id="G")
    with store.warehouse(wh.path, publish=False) as con:
        by_date = dict(store.frame(con, "select as_of, rag from mart.risk_history "
                                        "where location_id = 'G'").rows())
    assert by_date == {date(2026, 1, 15): "green", AS_OF: "red"}  # the latest is judged today


@pytest.mark.parametrize("scope, categories", [
    ("full", ()), ("partial", ("nursing",)), ("voluntary", ()), ("joint", ())])
def test_a_suspension_of_every_scope_is_red(wh: HandMade, scope: str, categories: tuple[str, ...]) -> None:
    scored(wh)
    casework.suspend_placements(wh.path, CM, "G", TODAY, "Concerns", scope=scope, categories=categories,
                                review_on=TODAY + timedelta(days=28))
    assert rag(wh)["G"] == ("red", "green")
    with store.casework(wh.path) as cw:
        assert cw.execute("select scope, categories from placement_suspensions").fetchall() == [
            (scope, list(categories) or None)]


def test_an_override_still_wins_over_a_concern(wh: HandMade) -> None:
    scored(wh)
    open_at(wh, "large_scale_enquiry", location_id="G")
    casework.override_rag(wh.path, CM, "G", "amber", "Enquiry found no failings yet", TODAY + timedelta(days=30))
    assert rag(wh)["G"] == ("amber", "green")


def test_floors_are_the_thresholds_own(wh: HandMade, tmp_path) -> None:
    # A council whose thresholds name no concerns floor: the stage is shown but does not move the RAG
    scored(wh)
    own = tmp_path / "thresholds.toml"
    own.write_text('[rag]\nred_floors = ["overall_inadequate", "placement_suspension"]\namber_floors = []\n')
    engine.score(wh.path, load_thresholds(own), [AS_OF])
    open_at(wh, "serious_concerns", location_id="G")
    with store.warehouse(wh.path, publish=False) as con:
        row = store.frame(con, "select rag, stages_in_force from mart.risk_current "
                               "where location_id = 'G'").row(0)
    assert row == ("green", ["serious_concerns"])
