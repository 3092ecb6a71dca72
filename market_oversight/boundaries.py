"""Local authority boundaries for the map: read from the GeoJSON file a council names in its
settings ([map] boundaries; for example ONS's generalised local authority district boundaries, which
the council downloads itself), or, for the demo, an outline made from the demo's own invented
geography. Nothing is fetched from the internet: what is drawn is what is on disk.

A missing or unusable file raises BadBoundaries naming the file and what is wrong, so the page can
say so and still draw its markers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from market_oversight.errors import BadBoundaries

# The property naming each area in ONS's boundary files (LAD24NM, CTYUA23NM, ...), else a plain name.
_ONS_NAME = re.compile(r"^(LAD|CTYUA|UTLA|LTLA|CTY)\d{2}NM$", re.IGNORECASE)
_PLAIN_NAMES = ("name", "NAME", "Name", "lad_name", "area_name")
_SHAPES = ("Polygon", "MultiPolygon")
DEMO_NOTE = ("The outlines drawn are the demo's own, made from its invented locations: Kingsmere and its "
             "neighbours are fictional, and no outline is a real boundary.")
DEMO_SUFFIX = " (demo outline, invented)"
OUTLINE_SPREADS = 4.0   # the demo's outline: this many standard deviations of its locations around their centre
OUTLINE_POINTS = 48


@dataclass(frozen=True)
class Area:
    """One area to draw: its name, its GeoJSON feature and its extent (west, south, east, north)."""
    name: str
    feature: dict
    extent: tuple[float, float, float, float]


def read(path: Path, name_property: str = "") -> list[Area]:
    """The areas of a GeoJSON FeatureCollection of polygons in longitude and latitude (WGS 84).
    BadBoundaries, naming the file and the fault, when it is missing, not JSON, not a collection of
    polygons, or in other coordinates (British National Grid metres, say)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadBoundaries(f"The boundaries file {path} does not exist. Check [map] boundaries in the "
                            "settings; the map is drawn without boundaries.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadBoundaries(f"The boundaries file {path} could not be read as GeoJSON ({exc}); the map is "
                            "drawn without boundaries.") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise BadBoundaries(f"The boundaries file {path} is not a GeoJSON FeatureCollection (its \"type\" "
                            "must be \"FeatureCollection\", with a list of \"features\"); the map is drawn "
                            "without boundaries.")
    areas = [_area(path, i, f, name_property) for i, f in enumerate(data["features"])]
    if not areas:
        raise BadBoundaries(f"The boundaries file {path} holds no areas; the map is drawn without boundaries.")
    return areas


def _area(path: Path, index: int, feature: object, name_property: str) -> Area:
    where = f"The boundaries file {path}, feature {index + 1}"
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in _SHAPES:
        raise BadBoundaries(f"{where}, is not a polygon (each feature must be a Polygon or MultiPolygon); "
                            "the map is drawn without boundaries.")
    try:
        xs, ys = zip(*_positions(geometry), strict=True)
    except (TypeError, ValueError):
        raise BadBoundaries(f"{where}, has coordinates that are not pairs of numbers; the map is drawn "
                            "without boundaries.") from None
    extent = (min(xs), min(ys), max(xs), max(ys))
    if not (-180 <= extent[0] and extent[2] <= 180 and -90 <= extent[1] and extent[3] <= 90):
        raise BadBoundaries(f"{where}, has coordinates outside longitude and latitude (for example "
                            f"{xs[0]:g}, {ys[0]:g}): the file must be in WGS 84 (EPSG:4326), not British "
                            "National Grid metres; ONS offers each boundary file in both. The map is drawn "
                            "without boundaries.")
    props = feature.get("properties") or {}
    return Area(_name(props, name_property) or f"Area {index + 1}",
                {"type": "Feature", "geometry": _wound(geometry), "properties": {}}, extent)


def _wound(geometry: dict) -> dict:
    """The geometry with its rings wound as the map's drawing (d3, spherical) reads them: outer
    rings clockwise, holes anticlockwise. GeoJSON (RFC 7946) asks the opposite and files differ, and
    an outer ring wound the other way is drawn as the whole world but that area."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    wound = [[ring if (_signed_area(ring) < 0) == (i == 0) else ring[::-1] for i, ring in enumerate(polygon)]
             for polygon in polygons]
    return {"type": geometry["type"], "coordinates": wound[0] if geometry["type"] == "Polygon" else wound}


def _signed_area(ring: list) -> float:
    """Twice the ring's area in degrees, positive when it runs anticlockwise (the shoelace formula)."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


def _positions(geometry: dict) -> Iterator[tuple[float, float]]:
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [
        ring for polygon in geometry["coordinates"] for ring in polygon]
    for ring in rings:
        for position in ring:
            x, y = position[0], position[1]
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
                raise ValueError("not a number")
            yield float(x), float(y)


def _name(props: dict, name_property: str) -> str | None:
    if name_property:
        value = props.get(name_property)
        return str(value) if value is not None else None
    for key, value in props.items():
        if _ONS_NAME.match(key) and value:
            return str(value)
    return next((str(props[k]) for k in _PLAIN_NAMES if props.get(k)), None)


def around(areas: Iterable[Area], west: float, south: float, east: float, north: float) -> list[Area]:
    """The areas that reach into the box the markers span (a national file drawn whole would hide a
    council's markers in a corner of England)."""
    return [a for a in areas
            if a.extent[0] <= east and a.extent[2] >= west and a.extent[1] <= north and a.extent[3] >= south]


def demo_outline(spread: pl.DataFrame) -> list[Area]:
    """An outline per local authority of the demo, made from its own invented locations (a smooth
    ellipse around their centre, OUTLINE_SPREADS standard deviations wide), named as the demo's own:
    the demo's places are fictional, so no real boundary could be drawn for them. `spread` has
    local_authority, latitude, longitude (the centre) and sd_latitude, sd_longitude."""
    areas = []
    for row in spread.iter_rows(named=True):
        ry = max(row["sd_latitude"] or 0.0, 0.01) * OUTLINE_SPREADS
        rx = max(row["sd_longitude"] or 0.0, 0.01) * OUTLINE_SPREADS
        # clockwise, as the map's drawing reads an outer ring (see _wound)
        ring = [(row["longitude"] + rx * math.cos(-2 * math.pi * k / OUTLINE_POINTS),
                 row["latitude"] + ry * math.sin(-2 * math.pi * k / OUTLINE_POINTS)) for k in range(OUTLINE_POINTS)]
        ring.append(ring[0])
        extent = (row["longitude"] - rx, row["latitude"] - ry, row["longitude"] + rx, row["latitude"] + ry)
        areas.append(Area(f"{row['local_authority']}{DEMO_SUFFIX}",
                          {"type": "Feature", "properties": {},
                           "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}}, extent))
    return areas

