"""The map of locations by RAG, drawn over local authority boundaries so that one can see where they
are: the council's GeoJSON file named in the settings ([map] boundaries), or in the demo its own
invented outlines. Nothing comes from the internet, so the boundaries show offline; a missing or
unusable file is named in a warning and the markers are drawn without it."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st

from market_oversight import boundaries, fmt
from market_oversight.boundaries import Area
from market_oversight.errors import BadBoundaries
from market_oversight.pages import common
from market_oversight.queries import overview

MARGIN_DEGREES = 0.05   # areas this near the markers' box are drawn too, for bearings


@st.cache_data(ttl=common.CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def _read(path: str, modified: float, name_property: str) -> list[Area]:
    # `modified` keys the cache, so a replaced file is read afresh
    return boundaries.read(Path(path), name_property)


def areas_around(points: pl.DataFrame) -> tuple[list[Area], str]:
    """The areas to draw under `points` (longitude, latitude), and a line saying whose they are."""
    settings = common.settings().map
    if settings.boundaries is not None:
        path = settings.boundaries
        try:
            modified = path.stat().st_mtime if path.exists() else 0.0
            areas = _read(str(path), modified, settings.name_property)
        except BadBoundaries as exc:
            st.warning(str(exc), icon=":material/map:")
            return [], "No boundaries drawn (see the warning above)."
        source = f"Local authority boundaries from {path.name}, as the council keeps it."
    elif common.is_demo():
        areas, source = boundaries.demo_outline(common.load(overview.area_spread)), boundaries.DEMO_NOTE
    else:
        return [], ("No boundaries are drawn: name a GeoJSON file of local authority boundaries in the "
                    "settings ([map] boundaries) to see where the services are.")
    box = (points["longitude"].min() - MARGIN_DEGREES, points["latitude"].min() - MARGIN_DEGREES,
           points["longitude"].max() + MARGIN_DEGREES, points["latitude"].max() + MARGIN_DEGREES)
    return boundaries.around(areas, *box), source


def rag_map(markers: alt.Chart, areas: list[Area]) -> alt.Chart | alt.LayerChart:
    """`markers` (a chart of points by longitude and latitude) over the areas' outlines, each area
    named at its northern edge (its middle is where the markers crowd)."""
    if not areas:
        return markers.project("mercator")
    # the outlines are bearings, not data: hidden from screen readers (aria=False), which read the
    # chart's summary and its table, and name the areas in the labels' text
    outlines = alt.Chart(alt.Data(values=[a.feature for a in areas])).mark_geoshape(
        fill=fmt.MAP_AREA_FILL, stroke=fmt.MAP_AREA_EDGE, strokeWidth=1.2, aria=False)
    names = pl.DataFrame([(a.name, (a.extent[0] + a.extent[2]) / 2, a.extent[3]) for a in areas],
                         schema={"Area": pl.String, "longitude": pl.Float64, "latitude": pl.Float64}, orient="row")
    labels = alt.Chart(names.to_pandas()).mark_text(baseline="top", dy=10, fontSize=12, color=fmt.INK).encode(
        longitude="longitude:Q", latitude="latitude:Q", text="Area:N")
    return alt.layer(outlines, labels, markers).project("mercator")
