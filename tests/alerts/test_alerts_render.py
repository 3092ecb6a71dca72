"""Rendering one week's changes, without a warehouse: escaping, links, layout Outlook can read."""

from __future__ import annotations

import re
import dataclasses
from datetime import date

from market_oversight.alerts.changes import IsoWeek, Item, Urgency, WeekChanges
from market_oversight.alerts.config import alert_settings
from market_oversight.alerts.render import build_message, html_body, subject, text_body
from market_oversight.config import load_settings

SETTINGS = alert_settings(load_settings(None), demo=True)
WEEK = IsoWeek.parse("2026-W40")


def _item(**kw) -> Item:
    base = dict(kind="report", urgency=Urgency.REVIEW, location_id="1-123", event_date=date(2026, 10, 1),
                headline="CQC report: downgraded", location_name="Home", provider_name="Provider",
                service_kind="care_home", local_authority="Kingsmere")
    return Item(**(base | kw))


def test_every_value_escaped_and_links_made_from_the_location_id() -> None:
    item = _item(headline="<b>bold</b> & co", details=('evidence "x" <script>alert(1)</script>',),
                 location_id='1-"><img src=x>', provider_name="A&B <Ltd>")
    html = html_body(WeekChanges(WEEK, (item,)), SETTINGS, None)
    assert "<script>" not in html and "<b>bold" not in html and "<img src=x>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html and "A&amp;B &lt;Ltd&gt;" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    profile = "http://localhost:8501/profile?location=1-%22%3E%3Cimg%20src%3Dx%3E"
    cqc = "https://www.cqc.org.uk/location/1-%22%3E%3Cimg%20src%3Dx%3E"
    assert hrefs == [profile, profile, cqc]
    text = text_body(WeekChanges(WEEK, (item,)), SETTINGS)
    assert profile in text and cqc in text


def test_each_item_says_why_it_matters_and_what_to_do_next() -> None:
    # given a red location with a casework action open
    item = _item(kind="risk", urgency=Urgency.ACT, headline="Risk now Red", action_title="Visit & review",
                 action_owner="J. Smith", action_due=date(2026, 10, 9))
    changes = WeekChanges(WEEK, (item,))
    for body in (text_body(changes, SETTINGS), html_body(changes, SETTINGS, None)):
        assert "Why it matters:" in body and "What to do next:" in body
        assert "Casework action due 9 October 2026: Visit &amp; review, J. Smith" in body.replace(
            "Visit & review", "Visit &amp; review")


def test_layout_is_tables_and_inline_css() -> None:
    items = tuple(_item(urgency=u, location_id=f"1-{u.value}") for u in Urgency)
    html = html_body(WeekChanges(WEEK, items), SETTINGS, "chart@x")
    assert "<style" not in html and "flex" not in html and "grid" not in html and "<link" not in html
    assert html.count("<table") >= 4 and 'src="cid:chart@x"' in html
    # groups in order of urgency, summary first
    positions = [html.index(f">{u.label} (1)<") for u in Urgency]
    assert positions == sorted(positions) and html.index("Review this week</span>") < positions[0]
    # fluid up to 640 px, with a fixed 640 px table for Outlook on Windows only
    assert "max-width:640px" in html and 'width="640"' in html.split("<![endif]-->")[0]


def test_subject_never_says_all_clear() -> None:
    assert subject(WeekChanges(WEEK, ()), "Care market") == "Care market: week 2026-W40 - no new concerns; none red"
    two = WeekChanges(WEEK, (_item(urgency=Urgency.ACT), _item(urgency=Urgency.INFO)))
    assert subject(two, "Care market") == "Care market: week 2026-W40 - 1 act now, 1 for information; 0 red"
    msg = build_message(WeekChanges(WEEK, ()), SETTINGS, "qa@x.example", None)
    assert not [p for p in msg.walk() if p.get_content_maintype() == "image"]


def test_a_big_group_lists_the_first_items_and_says_how_many_more() -> None:
    # given a week with five changes to review and e-mails capped at two per group
    capped = dataclasses.replace(SETTINGS, max_items_per_group=2)
    items = tuple(_item(location_id=f"1-{n}", location_name=f"Home {n}") for n in range(5))
    changes = WeekChanges(WEEK, items)
    text, html = text_body(changes, capped), html_body(changes, capped, None)
    # then the first two are listed in both parts, the group still counts all five, the rest are pointed to
    for body in (text, html):
        assert "Home 0" in body and "Home 1" in body and "Home 2" not in body
        assert "and 3 more in this group" in body
    assert "REVIEW THIS WEEK (5)" in text and "http://localhost:8501/watchlist" in text
    assert 'href="http://localhost:8501/watchlist"' in html
    # and with the default cap nothing is left out
    assert "more in this group" not in text_body(changes, SETTINGS)
