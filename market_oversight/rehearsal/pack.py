"""The contingency pack: a rehearsal as people read it, in sentences and tables, and as an XLSX
workbook with one sheet per section, each dated and saying what the data are as of. Cells are made
safe for spreadsheets by market_oversight.export (a name starting "=" is text, never a formula)."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from market_oversight import export, fmt
from market_oversight.queries import contingency
from market_oversight.rehearsal.plan import Rehearsal

SECTIONS = ("Summary", "Locations", "People", "Destinations", "Shortfall", "Who to tell", "Contingency", "Notes")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FUNDER_WORDS = {"council": "Council", "other_councils": "Other councils (placed here)", "nhs": "NHS", "self_funded": "Self-funded", "not_known": "Funder not given"}
_FUNDED = {"council": "council-funded", "other_councils": "placed by other councils", "nhs": "NHS-funded", "self_funded": "self-funded",
           "not_known": "with no funder given"}
_KIND_WORDS = {"residential": "Residential (dementia included)", "nursing": "Nursing (dementia included)",
               "dementia": "Dementia (residential or nursing)", "home_care": "Home care (people)"}


def _n(value: float | None) -> str:
    return fmt.count(round(value or 0, 1))


def title(r: Rehearsal) -> str:
    return f"Failure rehearsal: {r.scope} {r.name or r.id} ({r.id})"


def as_of_line(r: Rehearsal, made_on: date) -> str:
    a = r.as_of
    returns = (f"returns {fmt.month(a['oldest_return'])} to {fmt.month(a['newest_return'])}"
               if a["oldest_return"] != a["newest_return"] else f"returns of {fmt.month(a['newest_return'])}")
    return (f"Made on {fmt.long_date(made_on)}. Data as of: CQC register {fmt.long_date(a['register'])}; "
            f"risk score {fmt.long_date(a['risk_score'])}; {returns}.")


def summary_lines(r: Rehearsal) -> list[str]:
    """The rehearsal in a few sentences: what stops, who is affected, what cannot be placed."""
    p, homes = r.people, r.locations.filter(pl.col("service_kind") == "care_home").height
    agencies = r.locations.height - homes
    short = r.shortfall.filter(pl.col("shortfall") > 0)
    closing = [fmt.plural(n, word, many) for n, word, many in (
        (homes, "care home", None), (agencies, "home-care agency", "home-care agencies")) if n]
    whom = [f"{_n(p['totals']['care_home_residents'])} care-home residents"] if homes else []
    if agencies:
        whom.append(f"{_n(p['totals']['home_care_people'])} people getting "
                    f"{_n(p['totals']['home_care_hours_a_week'])} hours of home care a week")
    lines = [
        f"If {r.name or r.id} stopped tomorrow: {' and '.join(closing)} "
        f"{'closes' if homes + agencies == 1 else 'close'}.",
        f"{_n(p['totals']['people'])} people affected: " + ", ".join(
            f"{_n(v)} {_FUNDED[k]}" for k, v in p["by_funder"].items()
            if v or k not in ("not_known", "other_councils")) + ".",
        " and ".join(whom) + ".",
        f"{fmt.plural(r.destinations.height, 'service')} with room within {r.within_km:g} km "
        "(same kind of care, not red).",
    ]
    lines += _contingency_lines(r)
    if short.is_empty():
        lines.append("Everyone could be placed within that distance.")
    else:
        lines.append("Shortfall: " + "; ".join(
            f"{_n(s['shortfall'])} {s['unit']} of {fmt.care_category(s['care_category']).lower()}"
            for s in short.to_dicts()) + ".")
    return lines


def _contingency_lines(r: Rehearsal) -> list[str]:
    """What the contingency register says of the providers in scope: notices, overdue or missing plans."""
    c, providers = r.contingency, r.locations["provider_id"].n_unique()
    if c.is_empty():
        return [f"The contingency register holds nothing for the {fmt.plural(providers, 'provider')} in scope."]
    lines = [contingency.notice_words(row) for row in c.filter(pl.col("notices") > 0).to_dicts()]
    overdue = c.filter(pl.col("review_overdue")).height
    held = c.filter(pl.col("plan_held").fill_null(False)).height
    lines.append(f"Contingency plans: held for {held} of the {fmt.plural(providers, 'provider')} in scope"
                 + (f"; {overdue} overdue for review." if overdue else "."))
    return lines


def tables(r: Rehearsal) -> dict[str, pl.DataFrame]:
    """Each section of the pack (but the summary and notes) as a table with headings in words."""
    return {"Locations": _locations(r), "People": _people(r), "Destinations": _destinations(r),
            "Shortfall": _shortfall(r), "Who to tell": _notify(r), "Contingency": _contingency(r)}


def _words(frame: pl.DataFrame, column: str, to_words) -> pl.Series:
    return fmt.texts(frame[column], to_words, nulls=True)


def _locations(r: Rehearsal) -> pl.DataFrame:
    return r.locations.select(
        pl.col("location_name").alias("Location"), pl.col("location_id").alias("CQC location ID"),
        pl.col("provider_name").alias("Provider"), _words(r.locations, "care_category", fmt.care_category).alias("Care"),
        pl.col("local_authority").alias("Local authority"), _words(r.locations, "rag", fmt.rag).alias("RAG"),
        _words(r.locations, "return_period", fmt.month).alias("Latest return"),
        pl.col("people").alias("People"), pl.col("people_council").alias("Council-funded"),
        pl.col("people_nhs").alias("NHS-funded"), pl.col("people_self_funded").alias("Self-funded"),
        pl.col("people_other_councils").alias("Placed by other councils"),
        pl.col("need").round(1).alias("Needed elsewhere"), pl.col("unit").alias("Unit"),
        pl.col("placed").round(1).alias("Placed within reach"), pl.col("shortfall").round(1).alias("Shortfall"))


def _people(r: Rehearsal) -> pl.DataFrame:
    rows = [("By funder", _FUNDER_WORDS[k], v) for k, v in r.people["by_funder"].items()]
    rows += [("By kind of care", _KIND_WORDS[k], v) for k, v in r.people["by_kind"].items()]
    rows += [("Care category", fmt.care_category(k), v) for k, v in r.people["by_category"].items()]
    rows.append(("Home care", "Hours a week", round(r.people["totals"]["home_care_hours_a_week"], 1)))
    return pl.DataFrame(rows, schema=["Group", "People", "Number"], orient="row").select("People", "Number", "Group")


def _destinations(r: Rehearsal) -> pl.DataFrame:
    return r.destinations.select(
        pl.col("location_name").alias("Destination"), pl.col("location_id").alias("CQC location ID"),
        pl.col("provider_name").alias("Provider"), _words(r.destinations, "care_category", fmt.care_category).alias("Care"),
        pl.col("local_authority").alias("Local authority"), pl.col("distance_km").alias("Distance (km)"),
        _words(r.destinations, "rag", fmt.rag).alias("RAG"), _words(r.destinations, "latest_overall_rating", fmt.rating).alias("CQC rating"),
        pl.col("room").round(1).alias("Room (beds or hours a week)"), pl.col("offered").round(1).alias("Taken in rehearsal"),
        pl.col("nearest_to").alias("Nearest to (CQC location ID)"))


def _shortfall(r: Rehearsal) -> pl.DataFrame:
    return r.shortfall.select(
        _words(r.shortfall, "care_category", fmt.care_category).alias("Care"), pl.col("unit").alias("Unit"),
        pl.col("locations").alias("Services"), pl.col("need").round(1).alias("Needed"),
        pl.col("placed").round(1).alias("Placed within reach"), pl.col("shortfall").round(1).alias("Shortfall"))


def _notify(r: Rehearsal) -> pl.DataFrame:
    return r.notify.select(pl.col("who").alias("Who"), pl.col("organisation").alias("Organisation"),
                           pl.col("locations").alias("Services"), pl.col("people").alias("People"),
                           pl.col("why").alias("Why"))


def _contingency(r: Rehearsal) -> pl.DataFrame:
    if r.contingency.is_empty():
        return pl.DataFrame(schema={"Provider": pl.String, "CQC provider ID": pl.String, "Plan": pl.String,
                                    "Market Oversight notice": pl.String})
    return pl.DataFrame({
        "Provider": r.contingency["provider_name"], "CQC provider ID": r.contingency["provider_id"],
        "Plan": [contingency.plan_words(row) for row in r.contingency.to_dicts()],
        "Market Oversight notice": [contingency.notice_words(row) or "None recorded"
                                    for row in r.contingency.to_dicts()]})


def to_xlsx(r: Rehearsal, made_on: date) -> bytes:
    """The pack as a workbook: a summary sheet, then one sheet per section, each opening with the
    title and the dates the data are as of. (export.to_xlsx writes one sheet; this writes several
    with the same safety, every text through export's neutraliser.)"""
    book = Workbook(write_only=True)
    heading = [export.safe_text(title(r)), export.safe_text(as_of_line(r, made_on))]
    _sheet(book, "Summary", heading, pl.DataFrame({"Summary": summary_lines(r)}))
    for name, table in tables(r).items():
        _sheet(book, name, heading, table)
    _sheet(book, "Notes", heading, pl.DataFrame({"Notes": r.notes}))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Workbook, name: str, heading: list[str | None], table: pl.DataFrame) -> None:
    ws = book.create_sheet(name)
    ws.column_dimensions["A"].width = 48 if name in ("Summary", "Notes") else 32
    ws.freeze_panes = f"A{len(heading) + 3}"     # the title, the dates, a blank row and the header
    title_cell = WriteOnlyCell(ws, value=heading[0])
    title_cell.font = Font(bold=True, size=14)
    ws.append([title_cell])
    for line in heading[1:]:
        ws.append([line])
    ws.append([])
    safe = export.safe_frame(table)
    ws.append(safe.columns)
    for row in safe.iter_rows():
        ws.append(list(row))
