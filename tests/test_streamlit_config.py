"""The app looks like a council service, not a developer's tool (issue 18): no Deploy button or
developer menu, and an accent colour that no one can read as a RAG colour."""

from __future__ import annotations

import tomllib

from colour import contrast_ratio
from market_oversight import fmt
from market_oversight.paths import PROJECT_ROOT

CONFIG = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_toolbar_shows_no_deploy_button_or_developer_menu() -> None:
    assert CONFIG["client"]["toolbarMode"] == "minimal"


def test_the_accent_colour_is_no_rag_colour_and_reads_on_white() -> None:
    accent = CONFIG["theme"]["primaryColor"].upper()
    assert accent not in {c.upper() for c in fmt.RAG_COLOURS.values()}
    assert contrast_ratio("#FFFFFF", accent) >= 4.5  # white button text on it


def test_no_full_garbage_collection_after_each_run() -> None:
    # a forced collection held the interpreter about 80 ms a run while other users' pages waited
    assert CONFIG["runner"]["postScriptGC"] is False
