"""The weekly e-mail as its reader gets it: `alerts --dry-run --outbox DIR` on the scored demo, and the
written .eml read back (subject, plain-text part, HTML part), its HTML also rendered in chromium.

Weeks of the demo (Kingsmere, seed 1, scored at each month end from May to October 2026):
2026-W47 changes nothing by construction (the data ends in October: no report, score or register
change after it, and November's returns are not due until 14 December); 2026-W44 holds a score date
(locations entering red and amber, new flags, a CQC report); 2026-W46 has October's returns missing."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from market_oversight import links, store
from market_oversight.alerts.changes import IsoWeek, week_changes
from market_oversight.cli import main
from market_oversight.paths import PROJECT_ROOT
from tests.alerts.conftest import BASE_URL, QA, write_config

QUIET, BUSY, RETURNS = "2026-W47", "2026-W44", "2026-W46"
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
RAG_RANK = {"red": 0, "amber": 1, "green": 2}


class _Page(HTMLParser):
    """The words a reader sees (not inside <title> or comments) and every link's href."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.hrefs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("title", "style", "script")
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("title", "style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.append(data)


@pytest.fixture(scope="module")
def outbox(demo_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three weeks' e-mails, written once (a dry run sends nothing and logs nothing)."""
    from tests.demo_cache import copy_warehouse

    folder = tmp_path_factory.mktemp("outbox")
    db = copy_warehouse(demo_source, folder / "warehouse.duckdb")
    config = write_config(folder / "council.toml", 2525)
    for week in (QUIET, BUSY, RETURNS):
        assert main(["alerts", "--db", str(db), "--config", str(config), "--week", week,
                     "--dry-run", "--outbox", str(folder / "out")]) == 0
    return folder


def _message(outbox: Path, week: str) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes((outbox / "out" / f"{week}_{QA}.eml").read_bytes())


def _parts(outbox: Path, week: str) -> tuple[str, str, _Page]:
    msg = _message(outbox, week)
    page = _Page()
    page.feed(msg.get_body(preferencelist=("html",)).get_content())
    return msg["Subject"], msg.get_body(preferencelist=("plain",)).get_content(), page


def _risk_at(db: Path, week: str) -> dict[str, tuple[str, float, float | None]]:
    """Each location's RAG, likelihood and impact at the latest score by the week's end, read
    straight from mart.risk_history (not through the alerts' code)."""
    end = IsoWeek.parse(week).end
    with store.warehouse(db, read_only=True) as con:
        rows = con.execute(
            "select location_id, rag, likelihood, impact from mart.risk_history "
            "where as_of = (select max(as_of) from main.risk_scores where as_of <= $end)", {"end": end}).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_a_quiet_week_opens_with_the_standing_position(outbox: Path) -> None:
    # given a week in which nothing changed, while locations stay red
    db = outbox / "warehouse.duckdb"
    with store.warehouse(db, read_only=True) as con:
        assert week_changes(con, IsoWeek.parse(QUIET)).items == ()
    risk = _risk_at(db, QUIET)
    red = sorted(loc for loc, (rag, _, _) in risk.items() if rag == "red")
    amber = [loc for loc, (rag, _, _) in risk.items() if rag == "amber"]
    assert red
    # when its e-mail is read
    subject, text, page = _parts(outbox, QUIET)
    html = " ".join(page.words)
    # then it never reads as all clear, and says how many remain red, with the list
    for part in (subject, text, html):
        assert "all clear" not in part.lower()
    assert subject.endswith(f"no new concerns; {len(red)} locations remain red")
    sentence = f"No new concerns this week; {len(red)} locations remain red and {len(amber)} amber."
    assert sentence in text and sentence in html
    assert text.index(sentence) < text.index("Red now:")
    listed_text = re.findall(r"CQC ID (1-\d+)", text)
    listed_html = re.findall(r"CQC ID (1-\d+)", html)
    assert sorted(listed_text) == red and sorted(listed_html) == red
    # red and amber by kind of service, with the change since the week before
    assert "Care home:" in text and "Kind of service" in html


@pytest.mark.parametrize("week", [QUIET, BUSY, RETURNS])
def test_no_raw_keys_json_or_long_decimals(outbox: Path, week: str) -> None:
    subject, text, page = _parts(outbox, week)
    for name, part in (("subject", subject), ("text", text), ("html", " ".join(page.words))):
        words = re.sub(r"https?://\S+", " ", part)            # links are checked on their own
        assert not re.search(r"\b\w+=\S", words), f"key=value in the {name} part"
        assert not re.search(r"[\[{]\s*\"|\"\s*:", words), f"JSON in the {name} part"
        assert not re.search(r"\d\.\d{3,}", words), f"more than 2 decimals in the {name} part"
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", words), f"a raw column name in the {name} part"
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", words), f"a raw ISO date in the {name} part"


@pytest.mark.slow
@pytest.mark.parametrize("week", [QUIET, BUSY, RETURNS])
def test_every_link_is_absolute_https_and_opens_a_known_page(outbox: Path, week: str) -> None:
    db = outbox / "warehouse.duckdb"
    with store.warehouse(db, read_only=True) as con:
        known = {r[0] for r in con.execute("select location_id from mart.locations").fetchall()}
    _, text, page = _parts(outbox, week)
    urls = page.hrefs + re.findall(r"https?://\S+", text)
    assert urls
    app_pages = set(re.findall(r'url_path=links\.(\w+)', (PROJECT_ROOT / "app.py").read_text()))
    routed = {getattr(links, name) for name in app_pages}
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc, url
        if url.startswith(links.CQC_LOCATION_PAGE):
            assert url.removeprefix(links.CQC_LOCATION_PAGE) in known, url
            continue
        assert url.startswith(BASE_URL + "/"), url
        path = parts.path.strip("/")
        assert path in routed, f"{url}: the app routes no page at /{path}"
        if path == links.PROFILE_PATH:
            assert parse_qs(parts.query)["location"][0] in known, url
    assert "api.service.cqc.org.uk" not in text + " ".join(page.hrefs)


@pytest.mark.slow
def test_items_are_ordered_by_risk_within_each_urgency(outbox: Path) -> None:
    risk = _risk_at(outbox / "warehouse.duckdb", BUSY)
    _, text, _ = _parts(outbox, BUSY)
    sections = re.split(r"^== (.+) \(\d+\) ==$", text, flags=re.M)[1:]
    assert [s for s in sections[::2]] == ["ACT NOW", "REVIEW THIS WEEK", "FOR INFORMATION"]
    for heading, body in zip(sections[::2], sections[1::2], strict=True):
        ids = re.findall(r"CQC ID (1-\d+) ·", body)
        assert len(ids) > 1, heading
        keys = [(RAG_RANK.get(risk.get(i, ("",))[0], 3), -round(risk[i][1] if i in risk else 0, 2)) for i in ids]
        assert keys == sorted(keys), f"{heading}: not most at risk first"


def test_two_hundred_missing_returns_make_a_summary_of_at_most_20_lines(outbox: Path) -> None:
    db = outbox / "warehouse.duckdb"
    with store.warehouse(db, publish=False) as con:
        missing = [i for i in week_changes(con, IsoWeek.parse(RETURNS)).items if i.kind == "returns"]
    assert len(missing) >= 190
    _, text, page = _parts(outbox, RETURNS)
    block = text[text.index(f"{len(missing)} monthly returns now missing"):]
    lines = re.findall(r"^  - (.+)$", block.split("Why it matters")[0], flags=re.M)
    assert 2 <= len(lines) <= 20
    # every missing return is counted in the summary, and none is listed one by one
    counted = sum(int(n) for n in re.findall(r"(\d+) returns? missing", "\n".join(lines)))
    assert counted == len(missing)
    assert text.count("return for October 2026 missing") == 0
    chase = links.app_page(BASE_URL, links.CHASING_PATH)
    assert f"See every return to chase: {chase}" in text and chase in page.hrefs


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1024])
@pytest.mark.parametrize("week", [QUIET, BUSY])
def test_the_html_fits_a_phone_and_a_desktop(outbox: Path, browser, week: str, width: int) -> None:
    preview = outbox / "out" / f"{week}_{QA}.html"
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(preview.as_uri())
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth,"
                              " Math.max(...[...document.querySelectorAll('td, div, a, img, table')]"
                              ".map(e => e.getBoundingClientRect().right))]")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"alert-email-{week}-{width}.png"), full_page=True)
        chart = page.locator("img").first
        chart_box = chart.bounding_box()
    finally:
        context.close()
    scroll_width, viewport, rightmost = sizes
    assert scroll_width == viewport == width, "the e-mail is wider than the window"
    assert rightmost <= width, "something reaches past the window's edge"
    assert chart_box and chart_box["width"] <= min(width, 640)
