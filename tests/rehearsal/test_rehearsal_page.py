"""The failure rehearsal page through AppTest, on the hand-made market."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import assert_clean, open_page, texts
from tests.conftest import errors, shown as seen


@pytest.fixture
def app_market(market: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MARKET_OVERSIGHT_DB", str(market))
    monkeypatch.setenv("MARKET_OVERSIGHT_DEMO", "1")
    return market


def test_the_page_shows_the_rehearsal_its_sections_and_the_pack(app_market: Path) -> None:
    at = open_page("rehearsal.py", scope="brand", id="BX", km="20")
    assert_clean(at)
    shown = seen(texts(at))   # the summary lines are written as typed (escaped)
    assert "If BRAND BX stopped tomorrow: 2 care homes and 1 home-care agency close." in shown
    assert "Shortfall: 11 beds of residential; 12 beds of nursing; 70 hours a week of home care." in shown
    for question in ("Which services stop?", "Who is affected?", "Where could they go?",
                     "How many could not be placed nearby?", "Who must be told?"):
        assert question in shown
    assert [d.value for d in at.dataframe][2]["CQC location ID"].to_list() == ["D1", "D6", "D9", "D3", "D2"]


@pytest.mark.slow
def test_an_unknown_id_is_said_on_the_page(app_market: Path) -> None:
    at = open_page("rehearsal.py", scope="provider", id="NOPE")
    assert errors(at) == [
        "There is no provider with ID 'NOPE' in the register; check the CQC provider ID "
        "(on the provider profile or CQC's website)."]
    assert not at.exception
