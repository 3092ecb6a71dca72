"""Formatting rules (GOV.UK style) and spreadsheet-safe exports."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import polars as pl
import pytest
from openpyxl import load_workbook

from market_oversight import export, fmt


def test_dates_and_numbers_are_written_the_govuk_way() -> None:
    assert fmt.long_date(date(2026, 3, 3)) == "3 March 2026"
    assert fmt.long_date("2026-10-27") == "27 October 2026"
    assert fmt.long_date(None) == "Not known"
    assert fmt.date_time(datetime(2026, 3, 3, 14, 5)) == "3 March 2026 at 2:05pm"
    assert fmt.date_time(datetime(2026, 3, 3, 0, 30)) == "3 March 2026 at 12:30am"
    assert fmt.count(1240, "bed") == "1,240 beds"
    assert fmt.count(1, "bed") == "1 bed"
    assert fmt.percent(0.874) == "87%"
    assert fmt.money(812.5, "week") == "£812.50 a week"
    assert fmt.change(-2, "bed") == "−2 beds"
    assert fmt.change(0.015, as_percent_points=True) == "+1.5 percentage points"
    assert fmt.change(None) is None


def test_rag_and_ratings_always_carry_a_word_and_a_shape() -> None:
    assert [fmt.rag(r) for r in ("red", "amber", "green")] == ["▲ Red", "◆ Amber", "● Green"]
    assert fmt.rag(None) == "Not scored"
    assert fmt.rating("Inadequate") == "▲ Inadequate"
    assert fmt.rating("Good") == "● Good"
    assert len(set(fmt.RAG_CHART_SHAPES.values())) == 3
    assert len(set(fmt.RATING_CHART_SHAPES.values())) == len(fmt.RATING_CHART_SHAPES)


def _contrast_with_white(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_every_rag_and_rating_colour_is_readable_on_white() -> None:
    for colour in [*fmt.RAG_COLOURS.values(), *fmt.RATING_COLOURS.values()]:
        assert _contrast_with_white(colour) >= 4.5, colour


def test_exports_neutralise_cells_a_spreadsheet_would_run_as_formulas() -> None:
    df = pl.DataFrame({
        "name": ["=HYPERLINK(\"http://x\")", "+1", "-cmd", "@SUM(A1)", "Rose House", None],
        "amount": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        "flags": [["a", "=b"], [], ["c"], ["d"], ["e"], ["f"]],
    })
    text = export.to_csv(df).decode()
    assert "'=HYPERLINK" in text and "'+1" in text and "'-cmd" in text and "'@SUM" in text
    assert "-5.0" in text  # numbers stay numbers
    book = load_workbook(io.BytesIO(export.to_xlsx(df)))
    ws = book.active
    values = [c.value for c in ws["A"]][1:]
    assert values[:4] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-cmd", "'@SUM(A1)"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["B2"].value == -5.0


RISKY = ["=1+1", "+1", "-cmd", "@SUM(A1)", " =1+1", "  @x", "\t=1", "\tplain", "\rplain", "\nplain",
         "\n=1", "\uff1d1+1", "\uff0b1", "\uff0dcmd", "\uff20SUM(A1)", "\u3000\uff1d1"]
HARMLESS = ["Rose House", " Rose House", "a=b", "1-2", "", "\u00e9t\u00e9"]


@pytest.mark.parametrize("text", RISKY)
def test_a_cell_or_header_a_spreadsheet_could_run_gets_an_apostrophe(text: str) -> None:
    assert export.safe_text(text) == "'" + text
    df = pl.DataFrame({text: [text], "plain": ["x"]})
    header = next(csv.reader(io.StringIO(export.to_csv(df).decode(), newline="")))
    assert header == ["'" + text, "plain"]
    assert list(csv.DictReader(io.StringIO(export.to_csv(df).decode(), newline="")))[0]["'" + text] == "'" + text
    book = export.to_xlsx(df)
    ws = load_workbook(io.BytesIO(book)).active
    as_xml = ("'" + text).replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert [c.value for c in ws[1]] == [as_xml, "plain"] and ws["A2"].value == as_xml
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_left_as_typed(text: str) -> None:
    assert export.safe_text(text) == text
    assert export.to_csv(pl.DataFrame({"name": [text]})).decode().splitlines()[1:] in ([text], [f'"{text}"'], [])


def test_headers_made_safe_stay_distinct_and_categories_are_made_safe() -> None:
    df = pl.DataFrame({"=x": ["a"], "'=x": ["b"], "kind": pl.Series(["=evil"]).cast(pl.Categorical)})
    safe = export.safe_frame(df)
    assert safe.columns == ["'=x", "'=x (2)", "kind"] and safe["kind"].to_list() == ["'=evil"]


def test_an_xlsx_with_a_title_opens_with_title_and_date_and_a_frozen_filtered_header() -> None:
    df = pl.DataFrame({"Provider": ["=Evil Ltd", "Rose Care Group Limited of Kingsmere"],
                       "Due": [date(2026, 9, 14), date(2026, 10, 14)], "Days overdue": [84, 54]})
    ws = load_workbook(io.BytesIO(export.to_xlsx(df, title="Monthly returns to chase",
                                                 as_of="Overdue on 7 December 2026"))).active
    assert ws["A1"].value == "Monthly returns to chase" and ws["A1"].font.bold
    assert ws["A2"].value == "Overdue on 7 December 2026"
    assert [c.value for c in ws[4]] == ["Provider", "Due", "Days overdue"]
    assert ws["A5"].value == "'=Evil Ltd"           # still formula-safe under a title
    assert ws["B5"].value.date() == date(2026, 9, 14) and ws["C6"].value == 54
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:C6"
    widths = {k: ws.column_dimensions[k].width for k in "ABC"}
    assert widths["A"] >= len("Rose Care Group Limited of Kingsmere") and widths["B"] >= 10
    assert widths["C"] >= len("Days overdue")


def test_an_xlsx_without_a_title_freezes_and_filters_its_first_row() -> None:
    ws = load_workbook(io.BytesIO(export.to_xlsx(pl.DataFrame({"a": [1, 2]})))).active
    assert ws["A1"].value == "a" and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:A3"
