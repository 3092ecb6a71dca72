"""Provider concerns and suspension reviews in the weekly e-mail: a stage entered is reported in its
week ("entered serious concerns" acts now), a review date in the week is "review due", and both
read the same in the plain-text and HTML e-mail."""

from __future__ import annotations

import pytest
from datetime import date, timedelta
from pathlib import Path

from market_oversight import casework, concerns, store
from market_oversight.alerts.changes import IsoWeek, Urgency, week_changes
from market_oversight.alerts.config import alert_settings
from market_oversight.alerts.render import html_body, text_body
from market_oversight.config import load_settings
from market_oversight.roles import Role, User

CM = User("cm@council.example", "Casey", Role.CONTRACT_MANAGER)
WEEK = IsoWeek.parse("2026-W42")          # 12-18 October 2026
SETTINGS = alert_settings(load_settings(None), demo=True)


def _homes(db: Path, n: int, *, several: bool = False) -> list[tuple[str, str]]:
    """(location, provider) of care homes with no demo concern or suspension (a provider with
    several registered homes when `several`)."""
    with store.warehouse(db, publish=False) as con:
        return con.execute("""
            select location_id, provider_id from mart.register as r
            where is_active and service_kind = 'care_home'
              and location_id not in (select location_id from mart.placement_suspensions)
              and not exists (select 1 from mart.concerns as c
                              where c.location_id = r.location_id or c.provider_id = r.provider_id)
              and ($several = false or (select count(*) from mart.register as o
                                        where o.provider_id = r.provider_id and o.is_active) > 1)
            order by location_id limit $n""", {"n": n, "several": several}).fetchall()


def _week(db: Path, week: IsoWeek = WEEK):
    with store.warehouse(db, publish=False) as con:   # a job's open refreshes the casework mirror
        return week_changes(con, week)


@pytest.mark.slow
def test_stages_entered_are_reported_in_their_week_graded_by_stage(demo_db: Path) -> None:
    (first, _), (second, _) = _homes(demo_db, 2)
    a = concerns.open_concern(demo_db, CM, stage="enhanced_monitoring", opened_on=date(2026, 10, 6),
                              lead_officer="Ann", agencies=["CQC"], reason="Alerts", location_id=first)
    concerns.change_stage(demo_db, CM, a, "serious_concerns", date(2026, 10, 14), "Third alert")
    concerns.open_concern(demo_db, CM, stage="enhanced_monitoring", opened_on=date(2026, 10, 13),
                          lead_officer="Ann", agencies=[], reason="Staffing", location_id=second)
    ours = {first, second}   # the demo's own concerns enter stages in some weeks too
    items = [i for i in _week(demo_db).items if i.kind == "concern" and i.location_id in ours]
    assert sorted((i.location_id, i.urgency, i.headline) for i in items) == sorted([
        (first, Urgency.ACT, "Entered serious concerns"),
        (second, Urgency.REVIEW, "Entered enhanced monitoring")])
    assert "Before: enhanced monitoring" in next(i for i in items if i.location_id == first).details
    # the week before saw the first one enter enhanced monitoring, and nothing else of these
    earlier = [i for i in _week(demo_db, IsoWeek.parse("2026-W41")).items
               if i.kind == "concern" and i.location_id in ours]
    assert [(i.location_id, i.headline) for i in earlier] == [(first, "Entered enhanced monitoring")]


def test_a_provider_concern_is_reported_at_each_of_its_services(demo_db: Path) -> None:
    (home, provider), = _homes(demo_db, 1, several=True)
    concerns.open_concern(demo_db, CM, stage="large_scale_enquiry", opened_on=date(2026, 10, 15),
                          lead_officer="Ann", agencies=["Police"], reason="Several residents harmed",
                          provider_id=provider)
    with store.warehouse(demo_db, publish=False) as con:
        services = {r[0] for r in con.execute("select location_id from mart.register where provider_id = $p "
                                              "and is_active", {"p": provider}).fetchall()}
    items = [i for i in _week(demo_db).items if i.kind == "concern" and i.headline.endswith("large-scale enquiry")
             and i.location_id in services]
    assert {i.location_id for i in items} == services and home in services
    assert {(i.urgency, i.headline) for i in items} == {(Urgency.ACT, "Entered large-scale enquiry")}


def test_a_review_date_in_the_week_is_review_due_with_the_scope(demo_db: Path) -> None:
    (home, _), (lifted, _) = _homes(demo_db, 2)
    casework.suspend_placements(demo_db, CM, home, date(2026, 9, 1), "Nursing concerns", scope="partial",
                                categories=["nursing"], review_on=date(2026, 10, 16))
    gone = casework.suspend_placements(demo_db, CM, lifted, date(2026, 9, 1), "Concerns", scope="joint",
                                       review_on=date(2026, 10, 16))
    casework.lift_suspension(demo_db, CM, gone, date(2026, 10, 10), "Resolved")   # lifted before: no review
    changes = _week(demo_db)
    reviews = [i for i in changes.items if i.kind == "review"]
    assert [(i.location_id, i.urgency, i.headline, i.event_date) for i in reviews] == [
        (home, Urgency.REVIEW, "Placement suspension review due", date(2026, 10, 16))]
    assert reviews[0].details[0].startswith("Partial: nursing suspension since 1 September 2026")
    # Then the e-mail says so in both parts, with what to do
    for body in (text_body(changes, SETTINGS), html_body(changes, SETTINGS, None)):
        assert "Placement suspension review due" in body and "Hold the review" in body


def test_the_email_names_serious_concerns_and_what_to_do(demo_db: Path) -> None:
    (home, _), = _homes(demo_db, 1)
    concerns.open_concern(demo_db, CM, stage="serious_concerns", opened_on=date(2026, 10, 12),
                          lead_officer="Ann", agencies=["CQC", "ICB"], reason="Safeguarding <alert> & more",
                          location_id=home)
    changes = _week(demo_db)
    text, html = text_body(changes, SETTINGS), html_body(changes, SETTINGS, None)
    for body in (text, html):
        assert "Entered serious concerns" in body
        assert "agree the multi-agency meeting" in body
    assert "Safeguarding &lt;alert&gt; &amp; more" in html and "<alert>" not in html


def test_a_stage_entered_outside_the_week_is_not_reported(demo_db: Path) -> None:
    (home, _), = _homes(demo_db, 1)
    concerns.open_concern(demo_db, CM, stage="serious_concerns", opened_on=WEEK.end + timedelta(days=1),
                          lead_officer="Ann", agencies=[], reason="Alert", location_id=home)
    assert not [i for i in _week(demo_db).items if i.kind == "concern" and i.location_id == home]


def test_every_kind_of_change_says_why_it_matters_and_what_to_do() -> None:
    # an item of a kind the e-mail cannot put in words would stop the whole e-mail (KeyError)
    from market_oversight.alerts import changes, digest

    assert set(digest.WHY) == set(changes.KINDS)
    assert {kind for kind, _ in digest.NEXT} == set(changes.KINDS)
