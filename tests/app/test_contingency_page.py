"""The contingency register on the provider page, through AppTest on the demo: the demo's overdue
review and Market Oversight notice show; a contract manager records a review and a notice, which the
watchlist, the location's profile and the rehearsal show at once; a viewer sees the register but no
form."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import signed_in
from market_oversight import audit, contingency, fmt
from market_oversight.pages.contingency_panel import TYPED
from tests.app.conftest import APP, open_page, read, texts


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _provider_with_nothing(db: Path) -> tuple[str, str]:
    """(provider, one of its registered, scored locations) with nothing in the register."""
    return read(db, """
        select l.provider_id, min(l.location_id)
        from mart.locations as l join mart.risk_current as c using (location_id)
        where l.is_active and l.provider_id not in (select provider_id from mart.contingency_register)
        group by l.provider_id order by count(*) desc, l.provider_id limit 1""")[0]


def test_the_demo_register_shows_an_overdue_review_and_a_notice(app_env: Path) -> None:
    overdue = read(app_env, "select provider_id, next_review_on from mart.contingency_register "
                            "where review_overdue order by provider_id")
    noticed = read(app_env, "select provider_id, last_notice_note from mart.contingency_register where notices > 0")
    assert overdue and len(noticed) == 1
    at = open_page("provider.py", provider=overdue[0][0])
    days = (date.today() - overdue[0][1]).days
    assert any(f"overdue by {fmt.plural(days, 'day')}" in w.value for w in at.warning)
    at = open_page("provider.py", provider=noticed[0][0])
    assert any("CQC Market Oversight notice" in w.value for w in at.warning)
    assert noticed[0][1].split()[0] in texts(at)


@pytest.mark.slow
def test_a_review_and_a_notice_recorded_on_the_provider_page_show_everywhere(app_env: Path) -> None:
    provider_id, location_id = _provider_with_nothing(app_env)
    at = open_page("provider.py", provider=provider_id)
    assert "No contingency plan is recorded in the register for this provider" in texts(at)
    # When a contract manager records a review whose next review was due three days ago
    at.text_input(key=f"{TYPED}owner").input("Market oversight lead")
    at.date_input(key=f"{TYPED}reviewed").set_value(date.today() - timedelta(days=200))
    at.date_input(key=f"{TYPED}next").set_value(date.today() - timedelta(days=3))
    _click(at, "Record review")
    assert any("overdue by 3 days" in w.value for w in at.warning)
    # and a s.56 notice
    at.selectbox(key=f"{TYPED}kind").select("likely_failure")
    at.text_input(key=f"{TYPED}notice-note").input("CQC *letter*: likely to fail")
    _click(at, "Record notice")
    assert "Market Oversight notice recorded." in texts(at)
    assert audit.verify_chain(app_env).intact
    reviews, notices = contingency.provider_history(app_env, provider_id)
    assert reviews["owner"].to_list() == ["Market oversight lead"] and notices["kind"].to_list() == ["likely_failure"]
    # Then the watchlist says so for its locations, at once (no job has run)
    listing = open_page("watchlist.py")
    listing.multiselect(key="watchlist-rag").select("green").run()
    table = next(d.value for d in listing.dataframe if "Contingency" in d.value.columns)
    said = table[table["CQC location ID"] == location_id].iloc[0]["Contingency"]
    assert said.startswith(f"Plan review overdue (due {fmt.long_date(date.today() - timedelta(days=3))})")
    assert fmt.oversight_notice("likely_failure") in said
    # and the location's profile names the notice, as typed (never Markdown)
    profile = open_page(location=location_id)
    warning = next(w.value for w in profile.warning if "Market Oversight notice" in w.value)
    assert "\\*letter\\*" in warning
    # and so does the rehearsal of the provider
    rehearsal = open_page("rehearsal.py", scope="provider", id=provider_id)
    assert "CQC Market Oversight notice" in texts(rehearsal)
    assert "1 overdue for review" in texts(rehearsal)


def test_a_viewer_sees_the_register_but_no_form(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (provider_id,) = read(app_env, "select provider_id from mart.contingency_register limit 1")[0]
    monkeypatch.delenv("MARKET_OVERSIGHT_DEMO")
    at = signed_in(AppTest.from_file(APP, default_timeout=60))
    at.query_params["provider"] = provider_id
    at.run()
    at.switch_page("market_oversight/pages/provider.py").run()
    assert not at.exception
    assert "cannot record a review or a notice" in texts(at)
    assert not [b for b in at.button if b.label in ("Record review", "Record notice")]
