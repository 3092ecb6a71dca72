"""A bad configuration is refused when the app starts: every page says which key is wrong, no page runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from tests.app.conftest import open_page, texts
from tests.conftest import errors


@pytest.mark.parametrize("page", [None, "uploads.py", "accessibility.py"])
def test_a_bad_configuration_is_named_on_every_page(app_env: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, page: str | None) -> None:
    # given a council file with a value out of range
    config = tmp_path / "council.toml"
    config.write_text("[uploads]\nmax_parts = 0\n", encoding="utf-8")
    monkeypatch.setenv("MARKET_OVERSIGHT_CONFIG", str(config))
    st.cache_resource.clear()  # the app reads its settings once per process
    # when a page is opened
    at = open_page(page)
    st.cache_resource.clear()
    # then it shows the file and the key, and not a traceback or the page
    assert not at.exception, [e.value for e in at.exception]
    assert errors(at) == [f"{config}: [uploads] max_parts must be at least 1, not 0"]
    assert "Accessibility statement for Care Market Oversight" not in texts(at)
