"""The RAG and CQC rating colours: readable on the page, and told apart with colour-vision deficiencies.

Colour is never the only cue (each RAG and rating also has its word and a shape, see fmt.rag and
fmt.rating), but where colour is used it should still work for the 1 in 12 men with a colour-vision
deficiency. Simulation: Machado, Oliveira and Fernandes (2009), severity 1.0 (see tests/colour.py).
"""

from itertools import combinations

import pytest

from market_oversight import fmt
from tests import colour

PAGE_BACKGROUND = "#FFFFFF"  # Streamlit's light theme, pinned in .streamlit/config.toml
TEXT_CONTRAST = 4.5          # WCAG 2.2 SC 1.4.3: the colours are also used for text
DISTINCT = 10.0              # CIEDE2000: clearly different categories, not merely "noticeable" (about 1)
VISIONS = (None, *colour.CVD_MATRICES)
PALETTES = {"RAG": fmt.RAG_COLOURS, "rating": fmt.RATING_COLOURS, "service kind": fmt.SERVICE_KIND_COLOURS,
            "figure and benchmark": {"figure": fmt.FIGURE_COLOUR, "benchmark": fmt.BENCHMARK_COLOUR}}


@pytest.mark.parametrize("palette", PALETTES)
def test_every_colour_reads_as_text_on_the_page(palette: str) -> None:
    low = {name: round(colour.contrast_ratio(hex_, PAGE_BACKGROUND), 2)
           for name, hex_ in PALETTES[palette].items()
           if colour.contrast_ratio(hex_, PAGE_BACKGROUND) < TEXT_CONTRAST}
    assert not low, f"{palette} colours below {TEXT_CONTRAST}:1 on {PAGE_BACKGROUND}: {low}"


@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "typical")
@pytest.mark.parametrize("palette", PALETTES)
def test_every_pair_stays_apart(palette: str, vision: str | None) -> None:
    colours = PALETTES[palette]
    close = {(a, b): round(colour.difference(colours[a], colours[b], vision), 1)
             for a, b in combinations(colours, 2)
             if colour.difference(colours[a], colours[b], vision) < DISTINCT}
    assert not close, f"{palette} colours too alike for {vision or 'typical vision'} (CIEDE2000): {close}"


def test_palettes_cover_their_vocabularies_and_each_has_a_shape() -> None:
    assert set(fmt.RAG_COLOURS) == set(fmt.RAG_SHAPES) == set(fmt.RAG_CHART_SHAPES)
    assert set(fmt.RATING_COLOURS) == set(fmt.RATING_SHAPES) == set(fmt.RATING_CHART_SHAPES)
    assert len(set(fmt.RAG_SHAPES.values())) == len(fmt.RAG_SHAPES)
    assert len(set(fmt.RATING_SHAPES.values())) == len(fmt.RATING_SHAPES)


def test_the_maps_markers_and_edges_stand_out_on_its_areas() -> None:
    # WCAG 2.2 SC 1.4.11: graphics that carry meaning at 3:1 against what is next to them
    for name, hex_ in {**fmt.RAG_COLOURS, "edge": fmt.MAP_AREA_EDGE}.items():
        assert colour.contrast_ratio(hex_, fmt.MAP_AREA_FILL) >= 3, name
    assert colour.contrast_ratio(fmt.INK, fmt.MAP_AREA_FILL) >= TEXT_CONTRAST  # the areas' names
