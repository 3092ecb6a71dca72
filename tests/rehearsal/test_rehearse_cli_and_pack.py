"""`market-oversight rehearse` and the contingency pack, on the hand-made market."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from market_oversight import store
from market_oversight.cli import main
from market_oversight.rehearsal import pack
from market_oversight.rehearsal.plan import rehearse


def test_json_has_locations_people_destinations_shortfall_and_notify(market: Path, capsys) -> None:
    assert main(["rehearse", "--brand", "BX", "--within-km", "20", "--json", "--db", str(market)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"locations", "people", "destinations", "shortfall", "notify"} <= set(out)
    assert sorted(r["location_id"] for r in out["locations"]) == ["F1", "F2", "F3"]
    assert out["people"]["by_funder"]["council"] == 50
    assert out["people"]["by_kind"]["nursing"] == 20
    first = out["destinations"][0]
    assert (first["location_id"], first["care_category"], first["rag"]) == ("D1", "residential", "green")
    assert first["distance_km"] == pytest.approx(2.0, abs=0.01)
    assert {r["care_category"]: r["shortfall"] for r in out["shortfall"]} == {
        "residential": 11, "nursing": 12, "home_care": pytest.approx(70)}
    assert ["Host council", "Host council", "Integrated care board", "CQC", "Families of self-funders",
            "Families of self-funders"] == [r["who"] for r in out["notify"]]


def test_words_by_default_and_the_pack_written_on_request(market: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "pack.xlsx"
    assert main(["rehearse", "--location", "F1", "--within-km", "3", "--pack", str(target), "--db", str(market)]) == 0
    out = capsys.readouterr().out
    assert "If Home F1 stopped tomorrow: 1 care home closes." in out
    assert "30 care-home residents." in out
    assert "Shortfall: 25 beds of residential." in out       # 30 residents, 5 beds at D1 within 3 km
    assert load_workbook(target, read_only=True).sheetnames == list(pack.SECTIONS)


def test_an_unknown_id_is_one_line_and_exit_2(market: Path, capsys) -> None:
    assert main(["rehearse", "--provider", "NO-SUCH", "--db", str(market)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("market-oversight: error: There is no provider with ID 'NO-SUCH'")
    assert len(err.strip().splitlines()) == 1


def test_the_pack_opens_with_a_dated_sheet_per_section_and_no_formulas(market: Path) -> None:
    with store.warehouse(market, read_only=True) as con:
        result = rehearse(con, "brand", "BX", 20)
    book = load_workbook(io.BytesIO(pack.to_xlsx(result, date(2026, 11, 2))))
    assert book.sheetnames == list(pack.SECTIONS)
    for ws in book.worksheets:
        assert ws["A1"].value == "Failure rehearsal: brand BRAND BX (BX)"
        assert ws["A2"].value.startswith("Made on 2 November 2026. Data as of: CQC register")
        assert "risk score 15 October 2026; returns of September 2026" in ws["A2"].value
    dest = book["Destinations"]
    header = [c.value for c in dest[4]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in dest.iter_rows(min_row=5)]
    assert [r["CQC location ID"] for r in rows] == ["D1", "D6", "D9", "D3", "D2"]
    # the destinations' provider is called =HYPERLINK(...): written as text, never as a formula
    assert all(r["Provider"].startswith("'=HYPERLINK") for r in rows)
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    short = book["Shortfall"]
    assert [c.value for c in short[4]] == ["Care", "Unit", "Services", "Needed", "Placed within reach", "Shortfall"]
    assert [c.value for c in short[5]] == ["Residential", "beds", 1, 30, 19, 11]


def test_docs_cover_every_option_of_the_command() -> None:
    from market_oversight.cli import build_parser
    from market_oversight.paths import PROJECT_ROOT

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    options = {o for a in sub.choices["rehearse"]._actions for o in a.option_strings if o.startswith("--")}
    doc = (PROJECT_ROOT / "docs" / "contingency.md").read_text(encoding="utf-8")
    assert {"--location", "--provider", "--brand", "--within-km", "--json", "--pack"} <= options
    assert [o for o in sorted(options - {"--help"}) if o not in doc] == []


def test_the_rehearsal_and_its_pack_carry_the_providers_register_and_notices(market: Path, capsys) -> None:
    from datetime import timedelta

    from market_oversight import contingency
    from market_oversight.roles import Role, User

    # Given an overdue plan for PF (F1, F2) and a s.56 notice against it; nothing for PG (F3)
    cm, today = User("cm@council.example", "Casey", Role.CONTRACT_MANAGER), date.today()
    contingency.record_review(market, cm, "PF", plan_held=True, owner="Commissioning lead",
                              reviewed_on=today - timedelta(days=200), next_review_on=today - timedelta(days=3))
    contingency.record_notice(market, cm, "PF", notice_on=today, kind="likely_failure", note="CQC letter of today")
    # When the brand is rehearsed from the command line (the casework as it is now)
    assert main(["rehearse", "--brand", "BX", "--json", "--db", str(market)]) == 0
    out = json.loads(capsys.readouterr().out)
    # Then its register rows are the providers in scope that have one
    assert [(r["provider_id"], r["review_overdue"], r["last_notice_kind"]) for r in out["contingency"]] == [
        ("PF", True, "likely_failure")]
    with store.warehouse(market, read_only=True) as con:
        from market_oversight.queries import serving
        result = rehearse(serving.with_live_casework(con.cursor(), serving.live_casework(market)), "brand", "BX", 20)
    lines = pack.summary_lines(result)
    assert any(line.startswith("CQC Market Oversight notice, ") and "CQC letter of today" in line for line in lines)
    assert "Contingency plans: held for 1 of the 2 providers in scope; 1 overdue for review." in lines
    sheet = load_workbook(io.BytesIO(pack.to_xlsx(result, today)))["Contingency"]
    header = [c.value for c in sheet[4]]
    (row,) = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=5)]
    assert row["CQC provider ID"] == "PF" and "overdue by 3 days" in row["Plan"]
    assert row["Market Oversight notice"].endswith("CQC letter of today")
