"""A map one can orient on (issue 18, point 6): local authority boundaries under the RAG markers,
from the GeoJSON file the council names in its settings ([map] boundaries), or in the demo its own
invented outlines, labelled as such. No internet: what is drawn is read from disk. A missing or bad
file is named on the page, and the markers are still drawn."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
import streamlit as st

from market_oversight import boundaries, fmt
from market_oversight.config import settings_from
from market_oversight.errors import BadBoundaries

from .conftest import assert_clean, open_page, read, texts


def _square(west: float, south: float, east: float, north: float, *, clockwise: bool) -> list:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]  # anticlockwise
    return ring[::-1] if clockwise else ring


def _collection(*features: tuple[str, list]) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"LAD24CD": "E0600000X", "LAD24NM": name},
         "geometry": {"type": "Polygon", "coordinates": [ring]}} for name, ring in features]}


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ---- reading the council's file ------------------------------------------------------------------

def test_an_ons_style_file_is_read_with_its_names_and_outer_rings_wound_for_drawing(tmp_path: Path) -> None:
    # given a file in GeoJSON's own winding (outer rings anticlockwise), names in LAD24NM
    path = _write(tmp_path / "lad.geojson", _collection(("Testshire", _square(-3.3, 53.2, -2.8, 53.6, clockwise=False))))
    areas = boundaries.read(path)
    assert [a.name for a in areas] == ["Testshire"]
    assert areas[0].extent == (-3.3, 53.2, -2.8, 53.6)
    ring = areas[0].feature["geometry"]["coordinates"][0]
    # then the outer ring is clockwise (the map draws an anticlockwise one as the world outside it)
    assert sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) < 0
    assert boundaries.read(path, "LAD24CD")[0].name == "E0600000X"  # the property the settings name


BAD_FILES = [
    ("not json {", "could not be read as GeoJSON"),
    ({"type": "Feature"}, "is not a GeoJSON FeatureCollection"),
    ({"type": "FeatureCollection", "features": []}, "holds no areas"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                  "geometry": {"type": "Point", "coordinates": [0, 51]}}]},
     "feature 1, is not a polygon"),
    (_collection(("Grid", _square(330000, 380000, 345000, 395000, clockwise=True))),
     "must be in WGS 84 (EPSG:4326), not British National Grid"),
    (_collection(("Broken", [["a", "b"], [1, 2], [3, 4]])), "coordinates that are not pairs of numbers"),
]


@pytest.mark.parametrize(("content", "fault"), BAD_FILES)
def test_a_bad_file_is_refused_naming_the_file_and_the_fault(tmp_path: Path, content: object, fault: str) -> None:
    path = tmp_path / "boundaries.geojson"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(BadBoundaries) as refused:
        boundaries.read(path)
    assert str(path) in str(refused.value) and fault in str(refused.value)


def test_a_missing_file_is_refused_by_the_map_not_by_the_settings(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.geojson"
    assert settings_from({"map": {"boundaries": str(missing)}}).map.boundaries == missing  # every page still opens
    with pytest.raises(BadBoundaries, match=f"{missing} does not exist"):
        boundaries.read(missing)


def test_only_the_areas_near_the_markers_are_kept(tmp_path: Path) -> None:
    path = _write(tmp_path / "lad.geojson", _collection(("Near", _square(-3.3, 53.2, -2.8, 53.6, clockwise=True)),
                                                        ("Far", _square(0.0, 51.0, 0.5, 51.5, clockwise=True))))
    assert [a.name for a in boundaries.around(boundaries.read(path), -3.1, 53.3, -3.0, 53.4)] == ["Near"]


# ---- the demo's own outline ----------------------------------------------------------------------

def _inside(ring: list, x: float, y: float) -> bool:
    """Ray casting, independent of how the outline was made."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_the_demo_outline_holds_the_demos_locations_and_says_it_is_invented(app_env: Path) -> None:
    spread = pl.DataFrame(read(app_env, """select local_authority, avg(latitude), avg(longitude),
                                           stddev_samp(latitude), stddev_samp(longitude) from mart.register
                                           where is_active and latitude is not null group by 1"""),
                          schema=["local_authority", "latitude", "longitude", "sd_latitude", "sd_longitude"],
                          orient="row")
    areas = {a.name: a for a in boundaries.demo_outline(spread)}
    located = read(app_env, """select local_authority, longitude, latitude from mart.register
                               where is_active and latitude is not null""")
    outside = [r for r in located
               if not _inside(areas[r[0] + boundaries.DEMO_SUFFIX].feature["geometry"]["coordinates"][0], r[1], r[2])]
    assert len(outside) <= len(located) // 100, outside  # nearly all: it is drawn from their spread
    assert all(name.endswith("(demo outline, invented)") for name in areas)


# ---- on the overview ------------------------------------------------------------------------------

def _map(at) -> tuple[dict, list[pl.DataFrame]]:
    chart = next(c for c in at.get("vega_lite_chart") if '"geoshape"' in c.proto.spec or "longitude" in c.proto.spec)
    frames = [pl.from_arrow(pa.ipc.open_stream(d.data.data).read_all()) for d in chart.proto.datasets]
    return json.loads(chart.proto.spec), frames


def _layers(spec: dict) -> dict[str, dict]:
    return {layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]: layer
            for layer in spec.get("layer", [spec])}


def _names(frames: list[pl.DataFrame]) -> set[str]:
    return {n for f in frames if "Area" in f.columns for n in f["Area"]}


def test_the_demo_overview_draws_its_invented_outline_under_the_markers(app_env: Path) -> None:
    at = open_page()
    assert_clean(at)
    spec, frames = _map(at)
    layers = _layers(spec)
    assert list(layers) == ["geoshape", "text", "point"]  # the outline under the names under the markers
    assert layers["geoshape"]["data"]["values"][0]["geometry"]["type"] == "Polygon"
    assert _names(frames) == {"Kingsmere (demo outline, invented)"}
    assert boundaries.DEMO_NOTE in texts(at)
    # and every RAG drawn, services never scored among them, has its colour and shape in the legend
    drawn = {r for f in frames if "RAG" in f.columns for r in f["RAG"]}
    encoding = layers["point"]["encoding"]
    assert fmt.rag(None) in drawn
    assert drawn <= set(encoding["color"]["scale"]["domain"]) and drawn <= set(encoding["shape"]["scale"]["domain"])


@pytest.fixture
def council_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Writes a council's settings naming `boundaries` (relative to the settings' folder)."""
    def configure(boundaries_file: str) -> Path:
        config = tmp_path / "council.toml"
        config.write_text(f'[map]\nboundaries = "{boundaries_file}"\n', encoding="utf-8")
        monkeypatch.setenv("MARKET_OVERSIGHT_CONFIG", str(config))
        st.cache_resource.clear()  # the app reads its settings once per process
        return config
    yield configure
    st.cache_resource.clear()


def test_the_councils_boundaries_are_drawn_those_near_its_markers_named(app_env: Path, tmp_path: Path,
                                                                        council_file) -> None:
    _write(tmp_path / "lad.geojson", _collection(("Testshire", _square(-3.4, 53.1, -2.7, 53.7, clockwise=False)),
                                                 ("Faraway", _square(0.0, 51.0, 0.5, 51.5, clockwise=False))))
    council_file("lad.geojson")
    at = open_page()
    assert_clean(at)
    spec, frames = _map(at)
    assert list(_layers(spec)) == ["geoshape", "text", "point"]
    assert _names(frames) == {"Testshire"}
    assert "Local authority boundaries from lad.geojson" in texts(at)


@pytest.mark.parametrize(("content", "fault"), [(None, "does not exist"), BAD_FILES[4]])
def test_a_missing_or_bad_boundaries_file_is_named_and_the_markers_still_drawn(
        app_env: Path, tmp_path: Path, council_file, content: object, fault: str) -> None:
    if content is not None:
        _write(tmp_path / "lad.geojson", content)
    council_file("lad.geojson")
    at = open_page()
    assert not at.exception and not at.error
    warning = " ".join(w.value for w in at.warning)
    assert str(tmp_path / "lad.geojson") in warning and fault in warning
    spec, frames = _map(at)
    assert list(_layers(spec)) == ["point"]
    markers = next(f for f in frames if "location_name" in f.columns)
    registered = read(app_env, "select count(*) from mart.register where is_active and latitude is not null")[0][0]
    assert markers.height == registered
