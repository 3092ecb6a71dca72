"""Backtest metrics on hand-made histories with known answers."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from tests.risk.conftest import HandMade, month
from market_oversight import store, vocab
from market_oversight.cli import main
from market_oversight.demo.simulate import EVENT_TYPES as DEMO_EVENT_TYPES
from market_oversight.errors import ConfigError, RiskError
from market_oversight.risk.metrics import median, precision_at_top, roc_auc
from market_oversight.risk.thresholds import load_thresholds


def test_roc_auc_counts_ordered_pairs_and_half_ties() -> None:
    # positives 0.9, 0.4; negatives 0.5, 0.1, 0.4: pairs won 3 + 1 + half a tie = 4.5 of 6
    assert roc_auc([0.9, 0.4, 0.5, 0.1, 0.4], [True, True, False, False, False]) == pytest.approx(0.75)
    assert roc_auc([1, 2, 3], [False, True, True]) == 1.0
    assert roc_auc([3, 2, 1], [False, True, True]) == 0.0
    assert roc_auc([1, 2], [True, True]) is None


def test_precision_at_top_per_date_rounded_up() -> None:
    frame = pl.DataFrame({
        "as_of": [1] * 10 + [2] * 10,
        "location_id": [f"l{i}" for i in range(10)] * 2,
        "score": list(range(10)) * 2,
        "label": [False] * 9 + [True] + [False] * 10,
    })
    assert precision_at_top(frame, 0.1) == 0.5  # top 1 of each date: one hit in two
    assert precision_at_top(frame, 0.15) == 0.25  # top 2 (rounded up) of each


def test_median() -> None:
    assert median([3, 1, 2]) == 2 and median([4, 1, 2, 3]) == 2.5 and median([]) is None


def history(wh: HandMade) -> None:
    """Ten homes, returns 2024-01 to 2025-12. Homes 0-2 run at 60% occupancy and each is deregistered
    in a month when it had been red or amber for some months; homes 3-9 are full and never close."""
    for i in range(10):
        wh.location(f"h{i}", provider_id=f"p{i}", rated=date(2023, 6, 1),
                    deregistered=date(2025, 3 + 2 * i, 1) if i < 3 else None)
        for back in range(1, 25):
            period = month(date(2026, 1, 1), back)
            wh.care_home_return(f"h{i}", period, occupied_beds=24 if i < 3 else 39,
                                agency_hours=1200.0 if i < 3 else 0.0)
    wh.add("placement_suspensions", location_id="h3", imposed_on=date(2025, 9, 1), reason="x",
           imposed_by="ann")


@pytest.mark.slow
def test_backtest_on_observed_events(wh: HandMade, capsys) -> None:
    history(wh)
    wh.build()
    assert main(["backtest", "--db", str(wh.path), "--json", "--horizon-months", "6"]) == 0
    out = json.loads(capsys.readouterr().out)
    # replayed monthly from 6 months after the first returns to 6 months before the last data
    assert out["first_as_of"] == "2024-07-15" and out["as_of_dates"] >= 6
    assert out["events_by_type"] == {"closure": 3, "suspension": 1}
    # h0-h2 score higher than the others at every date
    assert 0.8 < out["roc_auc"] < 1.0
    # while three of ten homes tie on top (30%) the rank cap (red+amber at most 20%) keeps them all
    # green: only the last to close, alone on top after the other two had gone, is warned
    assert out["events_warned"] == 1 and out["events_replayed"] == 4
    uncapped = wh.path.with_name("uncapped.toml")
    uncapped.write_text("[rag]\nred_max_share = 1.0\nred_amber_max_share = 1.0\n")
    assert main(["backtest", "--db", str(wh.path), "--json", "--horizon-months", "6",
                 "--thresholds", str(uncapped)]) == 0
    out_uncapped = json.loads(capsys.readouterr().out)
    # without the caps every closure is warned, and so is h3's suspension: its June 2023 rating is
    # two years old by June 2025 (rating_overdue's third band, at the amber points)
    assert out_uncapped["events_warned"] == 4 and out_uncapped["events_replayed"] == 4
    # h2 closes on 1 July 2025 and is first warned on 15 May 2025, once h1 has closed (1 May)
    assert out["median_lead_months"] == round((date(2025, 7, 1) - date(2025, 5, 15)).days / 30.4375, 2)
    by_rag = out["by_rag"]
    assert sum(r["location_dates"] for r in by_rag.values()) == out["location_dates"]
    # the three failing homes are warned, the full ones green; the one suspension hit a green home
    assert by_rag["green"]["event_rate"] < max(by_rag["red"]["event_rate"] or 0, by_rag["amber"]["event_rate"] or 0)
    low = next(i for i in out["indicators"] if i["flag"] == "low_occupancy")
    assert low["raised"] > 0 and low["precision"] > out["base_rate"]


@pytest.mark.slow
def test_backtest_against_demo_truth_needs_the_demo(wh: HandMade) -> None:
    history(wh)
    wh.build()
    assert main(["backtest", "--db", str(wh.path), "--events", "demo_truth"]) == 2
    with store.warehouse(wh.path, publish=False) as con:
        con.execute("insert into demo_truth.events (location_id, event_date, event_type) "
                    "values ('h9', date '2025-01-01', 'downgrade')")
    from market_oversight.risk.backtest import BacktestOptions, run_backtest
    out = run_backtest(wh.path, load_thresholds(), BacktestOptions(events="demo_truth"))
    assert out["events_by_type"] == {"downgrade": 1} and out["positives"] == 6
    assert out["roc_auc"] == 0.0 or out["roc_auc"] < 0.5  # h9 is one of the healthiest homes
    with pytest.raises(RiskError, match="unknown event source"):
        run_backtest(wh.path, load_thresholds(), BacktestOptions(events="rumour"))


def test_observed_events_are_what_a_council_fears(wh: HandMade, tmp_path) -> None:
    # given: a fall from Good to Requires improvement, a first rating of Requires improvement,
    # Inadequate twice running, and a closure
    wh.location("fell", rated=None)
    wh.rating("fell", date(2020, 1, 1), "Good")
    wh.rating("fell", date(2021, 1, 1), "Requires improvement")
    wh.location("first_ri", rated=None)
    wh.rating("first_ri", date(2020, 1, 1), "Requires improvement")
    wh.location("twice", rated=None)
    wh.rating("twice", date(2020, 1, 1), "Good")
    wh.rating("twice", date(2020, 6, 1), "Inadequate")
    wh.rating("twice", date(2021, 1, 1), "Inadequate")
    wh.location("gone", deregistered=date(2021, 3, 1), rated=None)
    wh.build()
    # when: the observed events are read
    with store.warehouse(wh.path, publish=False) as con:
        stmt = store.statement("risk/events_observed")
        events = con.execute(stmt.text, stmt.bind(vocab.sql_params())).fetchall()
    # then: a fall to Inadequate is both a downgrade and an inadequate event; Inadequate again is an
    # inadequate event but no downgrade; a first rating of Requires improvement is no event
    assert sorted((loc, str(d), kind) for loc, d, kind in events) == [
        ("fell", "2021-01-01", "downgrade"),
        ("gone", "2021-03-01", "closure"),
        ("twice", "2020-06-01", "downgrade"),
        ("twice", "2020-06-01", "inadequate"),
        ("twice", "2021-01-01", "inadequate"),
    ]


def test_every_configured_event_type_is_one_the_observed_events_can_emit(wh: HandMade) -> None:
    # given a warehouse with one of each observed event: a downgrade to Inadequate, a closure and a
    # placement suspension
    wh.location("down", rated=date(2023, 6, 1))
    wh.rating("down", date(2024, 6, 1), "Inadequate")
    wh.location("gone", deregistered=date(2025, 3, 1))
    wh.location("held")
    wh.add("placement_suspensions", location_id="held", imposed_on=date(2025, 9, 1), reason="x",
           imposed_by="ann")
    wh.build()
    # when the observed events are read
    with store.warehouse(wh.path, publish=False) as con:
        emitted = {t for (t,) in con.execute(
            f"select distinct event_type from ({store.sql('risk/events_observed')})",
            store.statement("risk/events_observed").bind(vocab.sql_params())).fetchall()}
    # then the SQL emits exactly the vocabulary, the shipped thresholds name only those, and the
    # demo's hidden truth (the other event source) uses the same names
    assert emitted == set(vocab.EVENT_TYPES)
    assert set(load_thresholds().event_types) <= emitted
    # (a fall to Inadequate, planted as a downgrade, is also 'inadequate' in events_demo_truth.sql)
    assert set(vocab.EVENT_TYPES) <= {*DEMO_EVENT_TYPES, "inadequate"}


@pytest.mark.parametrize("names", ['["downgrade", "deregistration"]', '"closure"'])
def test_thresholds_naming_an_unknown_event_type_are_refused(tmp_path, names: str) -> None:
    # given a council's thresholds naming an event type no event source emits (or not a list)
    path = tmp_path / "thresholds.toml"
    path.write_text(f"[backtest]\nevent_types = {names}\n", encoding="utf-8")
    # when loaded, then it is refused naming the file, the key and the known names
    with pytest.raises(ConfigError, match=r"\[backtest\] event_types .*downgrade, inadequate, closure, suspension") as err:
        load_thresholds(path)
    assert str(path) in str(err.value)
