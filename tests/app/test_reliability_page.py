"""The "How reliable are these flags?" page on the demo, whose build stores a backtest
(`market-oversight backtest --save`), and on a warehouse with none stored."""

from __future__ import annotations

import pytest
import json
from pathlib import Path

from market_oversight import store

from .conftest import assert_clean, open_page, read, texts


@pytest.mark.slow
def test_reliability_page_shows_the_stored_backtest(app_env: Path) -> None:
    # Given the demo with its stored backtest, read straight from the warehouse
    (positives, location_dates, thresholds_hash, result), = read(
        app_env, "select positives, location_dates, thresholds_hash, cast(result as varchar) "
                 "from backtest_results order by ran_at desc limit 1")
    by_rag = json.loads(result)["by_rag"]
    # When the page opens
    at = open_page("reliability.py")
    # Then its headline figures are the backtest's, written as per cent
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Base rate"] == f"{100 * positives / location_dates:.1f}%"
    assert metrics["Events caught by red"] == f"{100 * by_rag['red']['events'] / positives:.0f}%"
    red_amber = by_rag["red"]["events"] + by_rag["amber"]["events"]
    assert metrics["Events caught by red or amber"] == f"{100 * red_amber / positives:.0f}%"
    # the table per RAG: location-dates and event rate of each
    rag_rows = at.dataframe[0].value
    assert rag_rows["RAG"].tolist() == ["▲ Red", "◆ Amber", "● Green"]
    assert rag_rows["Location-dates"].tolist() == [f"{by_rag[r]['location_dates']:,}" for r in ("red", "amber", "green")]
    assert rag_rows["Followed by an event"].tolist()[0] == f"{100 * by_rag['red']['event_rate']:.1f}%"
    # each indicator with its lift; the reliability chart with its summary and its data as a table
    indicators = at.dataframe[-1].value
    assert "Low occupancy" in indicators["Indicator"].tolist()
    assert all(v.endswith("×") or v == "Not known" for v in indicators["Lift over the base rate"])
    body = texts(at)
    assert "likelihood points," in body and "The dashed line is the base rate" in body
    assert any("reliability table" in e.label for e in at.expander)
    # and the thresholds measured, which the current scores use
    assert f"Thresholds {thresholds_hash[:12]}, the shipped defaults, not fitted on this warehouse" in body
    assert "The current scores use these thresholds." in body
    assert f"{location_dates:,} location-dates" in body


@pytest.mark.slow
def test_reliability_page_without_a_stored_backtest_names_the_command(app_env: Path) -> None:
    # Given a warehouse with no backtest stored (the removal published as a job would)
    with store.warehouse(app_env) as con:
        con.execute("delete from backtest_results")
    # When the page opens
    at = open_page("reliability.py")
    # Then it says so in words and names the command to run, without an error
    assert not at.exception and not at.error
    message = " ".join(w.value for w in at.warning)
    assert "No backtest has been stored for this warehouse yet" in message
    assert "`market-oversight backtest --save`" in message
    assert not at.metric and not at.dataframe
