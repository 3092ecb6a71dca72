"""What a backtest leaves behind: every replayed location-date in a file (`--scores-out`), and its
figures stored for the app's reliability page (`--save`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.risk.conftest import HandMade, month
from market_oversight.cli import main
from market_oversight.risk.backtest import add_months, reliability_bands
from market_oversight.risk.thresholds import load_thresholds, parse_thresholds
from tests.demo_cache import copy_warehouse, demo_with_files


def small_history(wh: HandMade) -> None:
    """Six homes with two years of returns; the two half-empty ones close, one after the other."""
    for i in range(6):
        wh.location(f"h{i}", provider_id=f"p{i}", rated=date(2023, 6, 1),
                    deregistered=date(2025, 4 + 3 * i, 1) if i < 2 else None)
        for back in range(1, 25):
            wh.care_home_return(f"h{i}", month(date(2026, 1, 1), back), occupied_beds=22 if i < 2 else 39,
                                agency_hours=1500.0 if i < 2 else 0.0)


def backtest_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["backtest", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_scores_out_parquet_on_the_demo_agrees_with_the_summary(tmp_path: Path, capsys) -> None:
    # given: a copy of the local demo
    db = copy_warehouse(demo_with_files()[0], tmp_path / "demo.duckdb")
    out_file = tmp_path / "scores.parquet"
    # when: the backtest writes its location-dates
    summary = backtest_json(capsys, "--db", str(db), "--scores-out", str(out_file))
    scores = pl.read_parquet(out_file)
    # then: one row per location-date replayed, with the columns an analyst needs
    assert scores.columns == ["location_id", "as_of", "likelihood", "impact", "rag", "flags", "label",
                              "first_event_type", "first_event_date"]
    assert scores.height == summary["location_dates"] == summary["scores_out"]["rows"]
    assert scores.select("location_id", "as_of").n_unique() == scores.height
    assert scores["as_of"].n_unique() == summary["as_of_dates"]
    assert str(scores["as_of"].min()) == summary["first_as_of"] and str(scores["as_of"].max()) == summary["last_as_of"]
    # the labels and RAG are the summary's
    assert int(scores["label"].sum()) == summary["positives"]
    for rag, part in summary["by_rag"].items():
        mine = scores.filter(pl.col("rag") == rag)
        assert mine.height == part["location_dates"]
        if mine.height:
            assert float(mine["label"].mean()) == pytest.approx(part["event_rate"])
    # a label is an event of a counted type within the horizon after the as-of date, and only then
    events = scores.filter(pl.col("label"))
    assert events["first_event_date"].null_count() == 0 and scores.filter(~pl.col("label"))["first_event_date"].null_count() == scores.height - events.height
    assert set(events["first_event_type"].unique()) <= set(summary["event_types"])
    for row in events.iter_rows(named=True):
        assert row["as_of"] < row["first_event_date"] <= add_months(row["as_of"], summary["horizon_months"])
    # the flags are indicator codes, comma-separated; each likelihood flag appears at least as often as
    # the summary counts it raised with points (a flag the fit gave 0 points is still raised, as evidence)
    codes = scores["flags"].str.split(",").explode().unique().drop_nulls().to_list()
    assert set(codes) - {""} <= {i.name for i in load_thresholds().indicators}
    for indicator in summary["indicators"]:
        raised = scores.filter(pl.col("flags").str.split(",").list.contains(indicator["flag"])).height
        assert raised >= indicator["raised"], indicator["flag"]
    assert sum(i["raised"] for i in summary["indicators"]) > 0


@pytest.mark.slow
def test_scores_out_csv_reads_back(wh: HandMade, tmp_path: Path, capsys) -> None:
    small_history(wh)
    wh.build()
    out_file = tmp_path / "scores.csv"
    summary = backtest_json(capsys, "--db", str(wh.path), "--scores-out", str(out_file))
    scores = pl.read_csv(out_file, try_parse_dates=True)
    assert scores.height == summary["location_dates"] > 0
    assert int(scores["label"].sum()) == summary["positives"] > 0
    # the two closing homes carry their closure as the first event, within the horizon
    closing = scores.filter(pl.col("label"))
    assert set(closing["location_id"]) == {"h0", "h1"} and set(closing["first_event_type"]) == {"closure"}
    assert scores.filter(pl.col("location_id") == "h0")["flags"].str.contains("low_occupancy").any()


@pytest.mark.parametrize("name", ["scores.txt", "scores.json", "scores"])
def test_scores_out_other_suffixes_are_refused_before_any_work(wh: HandMade, tmp_path: Path, capsys, name: str) -> None:
    small_history(wh)
    wh.build()
    target = tmp_path / name
    with pytest.raises(SystemExit) as exit_:
        main(["backtest", "--db", str(wh.path), "--scores-out", str(target)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--scores-out" in err and name in err and ".parquet or .csv" in err
    assert not target.exists()


def test_scores_out_into_a_missing_folder_is_refused(wh: HandMade, tmp_path: Path, capsys) -> None:
    small_history(wh)
    wh.build()
    assert main(["backtest", "--db", str(wh.path), "--scores-out", str(tmp_path / "no" / "s.csv")]) == 2
    assert "does not exist; nothing was replayed" in capsys.readouterr().err


@pytest.mark.slow
def test_save_stores_the_figures_the_command_printed(wh: HandMade, tmp_path: Path, capsys) -> None:
    small_history(wh)
    wh.build()
    first = backtest_json(capsys, "--db", str(wh.path), "--save")
    second = backtest_json(capsys, "--db", str(wh.path), "--save", "--horizon-months", "3")
    unsaved = backtest_json(capsys, "--db", str(wh.path))
    assert "saved_as" not in unsaved
    with duckdb.connect(str(wh.path), read_only=True) as con:
        rows = con.execute("select run_id, horizon_months, location_dates, positives, roc_auc, thresholds_hash, "
                           "cast(result as varchar) from backtest_results order by ran_at").fetchall()
    assert [r[0] for r in rows] == [first["saved_as"], second["saved_as"]]
    run_id, horizon, location_dates, positives, auc, hash_, result = rows[0]
    assert (horizon, location_dates, positives) == (6, first["location_dates"], first["positives"])
    assert auc == pytest.approx(first["roc_auc"]) and hash_ == load_thresholds().hash
    stored = json.loads(result)
    assert stored["by_rag"] == first["by_rag"] and stored["indicators"] == first["indicators"]
    assert rows[1][1] == 3
    # the page can say whether the shipped thresholds or a council's file were measured
    own = tmp_path / "own.toml"
    own.write_text("[rag]\nred_max_share = 0.05\n")
    assert first["thresholds_default"] is True and first["thresholds_fitted_at"] is None
    assert backtest_json(capsys, "--db", str(wh.path), "--thresholds", str(own))["thresholds_default"] is False


def test_reliability_bands_count_observed_and_predicted() -> None:
    labels = pl.DataFrame({
        "likelihood": [0.0, 5.0, 9.99, 10.0, 55.0, 100.0, 100.01],
        "label": [False, False, True, False, True, True, False],
    })
    plain = load_thresholds()
    bands = reliability_bands(labels, plain)
    assert [(b["points_from"], b["points_to"], b["location_dates"], b["events"]) for b in bands] == [
        (0.0, 10.0, 3, 1), (10.0, 20.0, 1, 0), (50.0, 60.0, 1, 1), (90.0, 100.0, 2, 1)]
    assert bands[0]["observed"] == pytest.approx(1 / 3) and bands[0]["predicted"] is None
    # thresholds fitted by calibrate carry an intercept: each band gets its mean predicted probability
    fitted = parse_thresholds(plain.raw | {"calibration": {"intercept": -2.0, "points_per_log_odds": 20,
                                                           "fitted_at": "2026-11-01T09:00:00"}}, "fitted.toml")
    predicted = reliability_bands(labels, fitted)
    assert predicted[1]["predicted"] == pytest.approx(1 / (1 + 2.718281828 ** (2.0 - 0.5)), rel=1e-6)
    assert predicted[-1]["predicted"] > predicted[0]["predicted"]
