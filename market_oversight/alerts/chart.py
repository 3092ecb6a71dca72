"""The one chart in the e-mail: red and amber locations at each recent score date, as a PNG made
offline (altair spec rendered by vl-convert, no browser, no network). The font is left to
vl-convert's default sans-serif: a named font that is not installed (Arial on Linux) draws no text."""

from __future__ import annotations

from datetime import date

import altair as alt
import duckdb
import polars as pl
import vl_convert

from market_oversight import store
from market_oversight.fmt import RAG_COLOURS


def rag_trend(con: duckdb.DuckDBPyConnection, week_end: date) -> pl.DataFrame:
    return store.query(con, "alerts/rag_trend", week_end=week_end)


def rag_trend_png(trend: pl.DataFrame, week_label: str) -> bytes | None:
    """A stacked bar chart, or None when nothing was ever scored red or amber by the week's end."""
    if trend.is_empty():
        return None
    data = trend.with_columns(pl.col("as_of").dt.strftime("%d %b %Y").alias("score date"),
                              pl.col("rag").str.to_titlecase().alias("RAG"))
    chart = (
        alt.Chart(data, title=f"Locations red or amber at each score date up to {week_label}")
        .mark_bar()
        .encode(
            x=alt.X("score date:O", sort=None, title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("locations:Q", title="locations", stack="zero"),
            color=alt.Color("RAG:N", scale=alt.Scale(domain=["Red", "Amber"],
                                                      range=[RAG_COLOURS["red"], RAG_COLOURS["amber"]]),
                            legend=alt.Legend(orient="top", title=None)),
            order=alt.Order("RAG:N", sort="descending"),
        )
        .properties(width=520, height=200)
        .configure_title(fontSize=13, anchor="start")
    )
    return vl_convert.vegalite_to_png(chart.to_json(), scale=1.5)
