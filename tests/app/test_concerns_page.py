"""The provider-concerns panel on the profile, through AppTest on the demo: a contract manager opens a
concern, records a meeting, a plan action and an enquiry, moves it to serious concerns and
suspends nursing placements; the watchlist and the profile show it at once; a viewer sees the
panel without a form, and what people typed is shown as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import signed_in
from market_oversight import audit, casework, concerns
from market_oversight.pages.concerns_panel import TYPED
from market_oversight.roles import Role, User
from tests.app.conftest import APP, open_page, read, texts
from tests.conftest import errors


def _quiet_home(db: Path) -> tuple[str, str, str]:
    """A green care home with no concern or suspension, about it or its provider."""
    return read(db, """
        select c.location_id, l.location_name, l.provider_id
        from mart.risk_current as c join mart.locations as l using (location_id)
        where c.rag = 'green' and l.is_active and l.service_kind = 'care_home' and not c.suspended
          and not exists (select 1 from mart.concerns as k
                          where k.location_id = l.location_id or k.provider_id = l.provider_id)
        order by location_id limit 1 offset 2""")[0]


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


@pytest.mark.slow
def test_a_concern_run_through_the_profile_shows_everywhere(app_env: Path) -> None:
    location_id, name, provider_id = _quiet_home(app_env)
    at = open_page(location=location_id)
    assert "No concerns process is open for this service or its provider." in texts(at)
    # When a contract manager opens a concern under enhanced monitoring
    at.text_input(key=f"{TYPED}open-reason").input("Three safeguarding alerts in a month")
    at.multiselect(key=f"{TYPED}open-agencies").select("CQC").select("ICB")
    _click(at, "Open concern")
    assert "Concern opened at enhanced monitoring." in texts(at)
    (concern_id,) = concerns.location_concerns(app_env, location_id, provider_id).concerns["concern_id"]
    key = f"{TYPED}{concern_id[:8]}"
    # and records a meeting (its decisions typed with Markdown), a plan action and an enquiry
    at.text_input(key=f"{key}-attendees").input("QA, ICB quality lead, CQC")
    at.text_area(key=f"{key}-decisions").input("**Weekly** visits; _daily_ staffing returns")
    _click(at, "Record meeting")
    at.text_input(key=f"{key}-plan-title").input("Recruit a registered manager")
    at.text_input(key=f"{key}-plan-owner").input("Provider")
    _click(at, "Add to the plan")
    at.text_input(key=f"{key}-enquiry-ref").input("SG-2026/0042")
    _click(at, "Link enquiry")
    # and moves it to serious concerns, and suspends nursing placements only
    at.selectbox(key=f"{key}-stage").select("serious_concerns")
    at.text_input(key=f"{key}-stage-reason").input("Fourth alert; manager left")
    _click(at, "Change stage")
    at.radio(key="suspend-scope").set_value("partial")
    at.multiselect(key="suspend-categories").select("nursing")
    at.text_input(key="suspend-reason").input("Nursing care concerns")
    _click(at, "Suspend placements")
    # Then the casework file holds it all, sealed in the audit log
    record = concerns.location_concerns(app_env, location_id, provider_id)
    assert record.stage == "serious_concerns"
    assert record.meetings["decisions"].to_list() == ["**Weekly** visits; _daily_ staffing returns"]
    assert record.actions["title"].to_list() == ["Recruit a registered manager"]
    assert record.enquiries["reference"].to_list() == ["SG-2026/0042"]
    suspension = casework.location_casework(app_env, location_id).suspensions.row(0, named=True)
    assert (suspension["scope"], suspension["categories"]) == ("partial", ["nursing"])
    assert audit.verify_chain(app_env).intact
    # And a fresh profile shows the stage, the RAG it forces and the decisions as typed
    again = open_page(location=location_id)
    assert any(e.label.startswith("Serious concerns since") for e in again.expander)
    assert "Attended: QA, ICB quality lead, CQC\nDecided: **Weekly** visits; _daily_ staffing returns" in [
        t.value for t in again.text]
    assert "**Weekly**" not in texts(again)                   # never drawn as Markdown
    assert again.metric[0].value == "▲ Red"
    assert "concerns process is at **serious concerns**" in texts(again)
    assert "partial: nursing" in texts(again)
    # And the watchlist lists it red with the stage and why
    listing = open_page("watchlist.py")
    table = next(d.value for d in listing.dataframe if "Concerns" in d.value.columns)
    row = table[table["CQC location ID"] == location_id].iloc[0]
    assert (row["RAG"], row["Concerns"]) == ("▲ Red", "Serious concerns")
    assert row["Override"] == "Placements suspended; scored ● Green"


def test_a_refused_concern_keeps_what_was_typed(app_env: Path) -> None:
    location_id, _, provider_id = _quiet_home(app_env)
    at = open_page(location=location_id)
    at.text_input(key=f"{TYPED}open-lead").input(" ")
    at.text_input(key=f"{TYPED}open-reason").input("Alerts")
    next(b for b in at.button if b.label == "Open concern").click().run()
    assert any("Enter the lead officer" in e for e in errors(at))
    assert at.text_input(key=f"{TYPED}open-reason").value == "Alerts"
    assert concerns.location_concerns(app_env, location_id, provider_id).concerns.is_empty()


def test_a_viewer_sees_the_concern_but_no_form(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    location_id, _, provider_id = _quiet_home(app_env)
    concerns.open_concern(app_env, User("cm@council.example", "CM", Role.CONTRACT_MANAGER),
                          stage="enhanced_monitoring", opened_on=date.today(), lead_officer="Ann Lead",
                          agencies=["CQC"], reason="Alerts", provider_id=provider_id)
    monkeypatch.delenv("MARKET_OVERSIGHT_DEMO")
    at = signed_in(AppTest.from_file(APP, default_timeout=60))
    at.query_params["location"] = location_id
    at.run()
    assert not at.exception
    assert any(e.label.startswith("Enhanced monitoring since") and "every service of" in e.label for e in at.expander)
    assert "cannot open or update a concern" in texts(at)
    assert not [b for b in at.button if b.label in ("Open concern", "Change stage", "Record meeting")]
