"""One truth for the RAG: a casework write (an override, a withdrawal, a suspension) shows alike on
the watchlist, the profile header, the overview's counts and map, the casework page and the
watchlist's CSV and XLSX, on the next render and with no job run in between."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from market_oversight import casework, export, fmt
from market_oversight.queries import filters, overview, profile, serving, watchlist
from market_oversight.queries.filters import MarketFilter
from market_oversight.signin import DEMO_USER
from tests.app.conftest import assert_clean, open_page, read

ANY = MarketFilter()


@dataclass(frozen=True)
class Written:
    overridden: str     # computed red, overridden to amber
    withdrawn: str      # computed red, overridden to green and the override withdrawn
    suspended: str      # computed green, placements suspended

    def expected(self) -> dict[str, str]:
        return {self.overridden: "amber", self.withdrawn: "red", self.suspended: "red"}


@pytest.fixture
def written(app_env: Path) -> Written:
    """Given the scored demo, with the casework written as a contract manager would, and no job run
    since (the serving copy's casework mirror knows none of it)."""
    reds = [r[0] for r in read(app_env, "select location_id from mart.risk_current where rag = 'red' "
                                        "and computed_rag = 'red' and not suspended order by location_id limit 2")]
    green = read(app_env, "select location_id from mart.risk_current where rag = 'green' "
                          "order by location_id limit 1")[0][0]
    w = Written(overridden=reds[0], withdrawn=reds[1], suspended=green)
    until = date.today() + timedelta(days=60)
    casework.override_rag(app_env, DEMO_USER, w.overridden, "amber", "New manager; action plan agreed", until)
    gone = casework.override_rag(app_env, DEMO_USER, w.withdrawn, "green", "Visited: better than it looks", until)
    casework.withdraw_override(app_env, DEMO_USER, gone)
    casework.suspend_placements(app_env, DEMO_USER, w.suspended, date.today(), "Safeguarding enquiry")
    return w


def live_cursor(db: Path):
    con = serving.open_read_only(serving.newest_copy(db))
    return con, serving.with_live_casework(con.cursor(), serving.live_casework(db))


def test_every_query_and_export_gives_the_rag_in_force(app_env: Path, written: Written) -> None:
    con, cur = live_cursor(app_env)
    try:
        listed = watchlist.watchlist(cur, ANY)
        rags = dict(zip(listed["location_id"], listed["rag"], strict=True))
        header = {loc: profile.location(cur, loc)["rag"] for loc in written.expected()}
        points = overview.map_points(cur, ANY)
        mapped = dict(zip(points["location_id"], points["rag"], strict=True))
        names = filters.location_names(cur, tuple(written.expected()))
        named = dict(zip(names["location_id"], names["rag"], strict=True))
        counts = overview.headline(cur, ANY, filters.scored_on(cur))
        table = watchlist.for_people(listed)
    finally:
        con.close()
    # Then watchlist, profile header, map and casework names give the written RAG
    for loc, rag in written.expected().items():
        assert rags[loc] == header[loc] == mapped[loc] == named[loc] == rag, loc
    # and the overview counts are the watchlist's and the map's
    for rag in ("red", "amber"):
        assert counts[rag].now == sum(r == rag for r in rags.values()) == sum(
            r == rag for r in mapped.values() if r != "not scored")
    # and the watchlist says why the RAG is not the computed one
    why = dict(zip(table["CQC location ID"], table["Override"], strict=True))
    assert why[written.overridden] == "Overridden from ▲ Red"
    assert why[written.withdrawn] == ""
    assert why[written.suspended] == "Placements suspended; scored ● Green"
    # and the CSV and XLSX downloads carry the same RAG
    rows = {r["CQC location ID"]: r["RAG"] for r in csv.DictReader(io.StringIO(export.to_csv(table).decode()))}
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(table))).active
    heading = [c.value for c in sheet[1]]
    cells = {r[heading.index("CQC location ID")]: r[heading.index("RAG")]
             for r in sheet.iter_rows(min_row=2, values_only=True)}
    for loc, rag in written.expected().items():
        assert rows[loc] == cells[loc] == fmt.rag(rag)


def test_the_mirror_alone_does_not_know_the_casework(app_env: Path, written: Written) -> None:
    # The serving copy was published before the casework was written: without the live casework
    # bound, the override is not seen (so the test above can tell the two apart).
    con = serving.open_read_only(serving.newest_copy(app_env))
    try:
        rag = con.execute("select rag from mart.risk_current where location_id = $l",
                          {"l": written.overridden}).fetchone()[0]
    finally:
        con.close()
    assert rag == "red"


@pytest.mark.slow
def test_every_page_shows_the_casework_on_the_next_render(app_env: Path, written: Written) -> None:
    # Watchlist: the overridden location is amber, the suspended one red
    at = open_page("watchlist.py")
    assert_clean(at)
    table = at.dataframe[0].value
    shown = dict(zip(table["CQC location ID"], table["RAG"], strict=True))
    assert shown[written.overridden] == fmt.rag("amber")
    assert shown[written.suspended] == fmt.rag("red")
    assert written.withdrawn in shown and shown[written.withdrawn] == fmt.rag("red")
    reds = sum(v == fmt.rag("red") for v in shown.values())
    ambers = sum(v == fmt.rag("amber") for v in shown.values())
    # Profile header of each
    for loc, rag in written.expected().items():
        page = open_page(location=loc)
        assert_clean(page)
        assert {m.label: m.value for m in page.metric}["RAG"] == fmt.rag(rag), loc
    suspended = open_page(location=written.suspended)
    assert any("New placements are suspended here" in m.value for m in suspended.markdown)
    # Overview: headline counts and the map's sentence agree with the watchlist
    home = open_page()
    assert_clean(home)
    metrics = {m.label: m.value for m in home.metric}
    assert metrics[fmt.rag("red")] == fmt.count(reds, "location")
    assert metrics[fmt.rag("amber")] == fmt.count(ambers, "location")
    assert any(f": {reds} red, {ambers} amber" in m.value for m in home.markdown)
    # Casework page: the override in force with the RAG in force
    page = open_page("casework.py")
    assert_clean(page)
    overrides = next(d.value for d in page.dataframe if "RAG in force" in d.value.columns)
    assert overrides["RAG in force"].tolist() == overrides["RAG set"].tolist() == [fmt.rag("amber")]
