"""The monthly market report for members and the ICB (the Market Position Statement figures):
capacity and occupancy, ratings mix against England, fees against benchmarks, risk by kind of
service, with small numbers suppressed. The notebook notebooks/market_report.py shows these sections
and `market-oversight report market_report` renders it; the app's overview page offers the same page
as a download (`page`), without marimo.

Suppression: a figure built from 1 to 4 locations (or fee rates) could identify a provider, so it is
shown as "[c]" with a note; a zero identifies nobody and is shown. Where a group's total is published
and only one of its counts is small, the next smallest is hidden too (`complementary`), so that the
small one cannot be found by subtraction. Not done: differencing between areas or between months.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import altair as alt
import duckdb
import polars as pl

from market_oversight import fmt
from market_oversight.analyst.report_html import Html, Section, heading, render_page
from market_oversight.queries import filters, market_report, overview
from market_oversight.queries.filters import MarketFilter
from market_oversight.vocab import RAG

SUPPRESS_BELOW = 5
SUPPRESSED = "[c]"
SUPPRESSION_NOTE = (f"{SUPPRESSED}: fewer than {SUPPRESS_BELOW} locations (or fee rates). A figure built from "
                    f"1 to {SUPPRESS_BELOW - 1} is not shown, so that no provider can be identified from it.")
TITLE = "Monthly market report"


def is_small(n: int | float | None) -> bool:
    """A count that must not be shown: 1 to 4 (a zero identifies nobody)."""
    return n is not None and 0 < n < SUPPRESS_BELOW


def complementary(counts: Sequence[int | None]) -> list[bool]:
    """Which of a group's counts to hide when the group's total is known elsewhere: the small ones,
    and, when only one is small, the smallest other non-zero count too, so that the hidden one cannot
    be worked out by subtraction from the total."""
    hide = [is_small(n) for n in counts]
    if sum(hide) == 1:
        others = [(n, i) for i, n in enumerate(counts) if not hide[i] and n]
        if others:
            hide[min(others)[1]] = True
    return hide


def suppress(frame: pl.DataFrame, rules: Mapping[str, Sequence[str]],
             hide: Mapping[str, Sequence[bool]] | None = None) -> pl.DataFrame:
    """`frame` with each figure built from a small count shown as [c]. `rules` maps a count column to
    the columns computed from those locations (the count itself included); those columns become text
    written by `fmt.table_value`, and the other columns are left for the renderer to write. `hide`
    marks more rows to hide per count column (from `complementary`)."""
    hidden_by: dict[str, list[str]] = {}
    for count, columns in rules.items():
        for column in columns:
            hidden_by.setdefault(column, []).append(count)
    rows = frame.to_dicts()
    extra = hide or {}

    def hidden(i: int, count: str) -> bool:
        return is_small(rows[i][count]) or (count in extra and extra[count][i])

    written = {
        column: [SUPPRESSED if any(hidden(i, c) for c in counts) else fmt.table_value(column, row[column])
                 for i, row in enumerate(rows)]
        for column, counts in hidden_by.items()
    }
    return frame.with_columns(pl.Series(column, values, dtype=pl.String) for column, values in written.items())


def _by_group(frame: pl.DataFrame, group: str, count: str) -> list[bool]:
    """`complementary` within each group of rows (frame order kept)."""
    hide = [False] * frame.height
    rows = frame.with_row_index("_row")
    for _, part in rows.group_by(group, maintain_order=True):
        for i, hidden in zip(part["_row"], complementary(part[count].to_list()), strict=True):
            hide[i] = hidden
    return hide


def default_area(con: duckdb.DuckDBPyConnection) -> str | None:
    """The register's local authority when it holds one; else None (every local authority)."""
    held = market_report.areas(con)
    return held["local_authority"][0] if held.height == 1 else None


def as_of_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The date the report describes: the register's or the latest score's, whichever is newer (as the
    overview page dates its figures)."""
    dates = [d for d in (filters.data_as_of(con), filters.scored_on(con)) if d is not None]
    return max(dates) if dates else None


def capacity_section(con: duckdb.DuckDBPyConnection, area: str | None) -> Section:
    found = overview.capacity(con, MarketFilter(local_authority=area))
    month = found["returns_month"].drop_nulls()
    table = suppress(
        found.select(pl.col("icb_name").alias("area"), "service_kind", "locations", "registered_beds",
                     "homes_returned", pl.col("occupancy_rate").alias("occupancy")),
        {"locations": ["locations", "registered_beds"], "homes_returned": ["homes_returned", "occupancy"]},
    )
    returns = f"the {fmt.month(month[0])} returns" if month.len() else "returns (none loaded yet)"
    return Section(
        "Capacity and occupancy",
        f"Active CQC-registered locations and their registered beds, by ICB area and kind of service; "
        f"care-home occupancy is occupied beds over beds in {returns}, of the homes that returned.",
        table, notes=(SUPPRESSION_NOTE,))


def ratings_section(con: duckdb.DuckDBPyConnection, area: str | None, area_name: str) -> Section:
    found = market_report.ratings_against_england(con, area)
    notes = [SUPPRESSION_NOTE]
    if market_report.areas(con).height <= 1:
        notes.append("The register in this warehouse holds one local authority only, so the England columns "
                     "repeat the area's. Load CQC's national register file (market-oversight ingest cqc FILE) "
                     "for the comparison with England.")
    # each kind's total is in the capacity section: hide a second count where one alone is small
    hide = {count: _by_group(found, "service_kind", count) for count in ("locations", "england_locations")}
    shown = found.filter(~pl.Series(hide["locations"]) & ~pl.Series(hide["england_locations"]))
    long = pl.concat([
        shown.select("service_kind", "rating", pl.col("share"), pl.lit(area_name).alias("market")),
        shown.select("service_kind", "rating", pl.col("england_share").alias("share"), pl.lit("England").alias("market")),
    ])
    long = long.with_columns(fmt.texts(long["service_kind"], fmt.service_kind))
    chart = (
        alt.Chart(long, title="Latest overall rating: share of active locations")
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="share of locations", axis=alt.Axis(format="%")),
            y=alt.Y("rating:N", sort=list(fmt.RATING_COLOURS), title=None),
            yOffset=alt.YOffset("market:N"),
            color=alt.Color("rating:N", scale=alt.Scale(domain=list(fmt.RATING_COLOURS),
                                                         range=list(fmt.RATING_COLOURS.values())), legend=None),
            opacity=alt.Opacity("market:N", scale=alt.Scale(domain=[area_name, "England"], range=[1.0, 0.45]),
                                title=None),
            row=alt.Row("service_kind:N", title=None),
        )
        .properties(width=380, height=150)
    )
    table = suppress(found, {"locations": ["locations", "share"],
                             "england_locations": ["england_locations", "england_share"]}, hide)
    return Section("Ratings mix against England",
                   f"Latest overall CQC rating of active locations in {area_name} and in England (every "
                   f"active location in the register); never-rated locations count as Not rated. The chart "
                   f"leaves out the ratings whose figures are not shown.",
                   table, chart, tuple(notes))


def fees_section(con: duckdb.DuckDBPyConnection, area: str | None, as_of: date) -> Section:
    found = overview.fees(con, MarketFilter(local_authority=area), as_of)
    # the lowest and highest fee are each one provider's rate: left out, whatever the count
    table = suppress(
        found.select("care_category", "unit", "rates", pl.col("median_paid").alias("median_fee"),
                     "benchmark", "benchmark_amount"),
        {"rates": ["rates", "median_fee"]},
    )
    return Section("Fees against benchmarks",
                   f"Council fee rates in force on {fmt.long_date(as_of)} (per week for care homes, per hour "
                   f"for home care): the median against each benchmark for that financial year.",
                   table, notes=(SUPPRESSION_NOTE,))


def risk_section(con: duckdb.DuckDBPyConnection, area: str | None) -> Section:
    found = market_report.risk_by_kind(con, area)
    wide = pl.DataFrame({"service_kind": sorted(set(found["service_kind"].to_list()))})
    for rag in RAG:
        of_rag = found.filter(pl.col("rag") == rag).select("service_kind", pl.col("locations").alias(rag))
        wide = wide.join(of_rag, on="service_kind", how="left").with_columns(pl.col(rag).fill_null(0))
    wide = wide.with_columns(pl.sum_horizontal(*RAG).alias("locations"))
    # each row's total is shown: hide a second count where one alone is small
    rows = [complementary(counts) for counts in wide.select(RAG).rows()]
    hide = {rag: [row[i] for row in rows] for i, rag in enumerate(RAG)}
    table = suppress(wide, {name: [name] for name in (*RAG, "locations")}, hide)
    return Section("Risk by kind of service",
                   "Active locations by the RAG in force at the latest risk score (red: act now; amber: "
                   "review; green: no concern found), by kind of service.",
                   table, notes=(SUPPRESSION_NOTE,))


def sections(con: duckdb.DuckDBPyConnection, area: str | None, as_of: date) -> list[Section]:
    """The report's four parts, in order, for local authority `area` (None: every one)."""
    name = area or "every local authority in the register"
    return [capacity_section(con, area), ratings_section(con, area, name), fees_section(con, area, as_of),
            risk_section(con, area)]


def title_block(area: str | None, as_of: date) -> Html:
    return heading(f"{TITLE}: {area or 'all areas'}, {fmt.month(as_of)}",
                   f"Care market figures on {fmt.long_date(as_of)} for members and the integrated care board: "
                   "capacity, occupancy, quality against England, fees against benchmarks and risk. "
                   f"Figures from fewer than {SUPPRESS_BELOW} locations are suppressed ({SUPPRESSED}).")


def page(con: duckdb.DuckDBPyConnection, area: str | None) -> str:
    """The whole report as one self-contained HTML page (the app's download)."""
    as_of = as_of_date(con)
    if as_of is None:
        return render_page(TITLE, [heading(TITLE, "No CQC data is loaded yet.")])
    return render_page(f"{TITLE}: {area or 'all areas'}, {fmt.month(as_of)}",
                       [title_block(area, as_of), *sections(con, area, as_of)],
                       f"Care Market Oversight, {fmt.long_date(as_of)}.")
