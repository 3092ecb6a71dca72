"""Data quality: each load's data-contract results and quarantined rows; late and missing returns;
the fee benchmarks the risk score needs and cannot find."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import polars as pl

from market_oversight import fmt, vocab
from market_oversight.queries.filters import mart_exists
from market_oversight.queries.quarantine import as_export
from market_oversight.store import query, run


def batches(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pl.DataFrame:
    return query(con, "queries/data_quality_batches", limit=limit)


def batches_sentence(batches: pl.DataFrame) -> str:
    """How many loads are listed, how many were rejected and how many rows quarantined in all."""
    rejected = batches.filter(pl.col("status") == "rejected").height
    quarantined = int(batches["rows_quarantined"].sum())
    return (f"{fmt.plural(batches.height, 'load')} listed (newest first): {rejected} rejected, "
            f"{fmt.count(quarantined, 'row')} quarantined in all.")


def batches_for_people(batches: pl.DataFrame) -> pl.DataFrame:
    """The loads as the page lists them: when, what, which file, how it went, the row counts."""
    return batches.select(
        fmt.texts(batches["started_at"], fmt.date_time).alias("Loaded"),
        fmt.texts(batches["dataset"], fmt.dataset).alias("Dataset"),
        pl.col("source").str.split("/").list.last().alias("File"),
        pl.col("status").str.to_titlecase().alias("Status"),
        pl.col("rows_read").alias("Rows read"), pl.col("rows_loaded").alias("Rows loaded"),
        pl.col("rows_quarantined").alias("Rows quarantined"),
        pl.col("ratings_set_aside").alias("Ratings set aside"),
        pl.col("message").fill_null("").alias("Note"),
        pl.col("batch_id").alias("Batch"))


def batch_choices(batches: pl.DataFrame) -> tuple[dict[str, str], str]:
    """Each load's label for the chooser (when, which file, what was set aside), and the load shown
    first: the newest that set rows or ratings aside, else the newest."""
    labels = {r["batch_id"]: f"{fmt.date_time(r['started_at'])}: {r['source'].split('/')[-1]} "
                             f"({fmt.count(r['rows_quarantined'], 'row')} quarantined"
                             + (f", {fmt.count(r['ratings_set_aside'], 'rating')} set aside)"
                                if r["ratings_set_aside"] else ")")
              for r in batches.iter_rows(named=True)}
    set_aside = batches.filter((pl.col("rows_quarantined") > 0) | (pl.col("ratings_set_aside") > 0))
    return labels, (set_aside if set_aside.height else batches)["batch_id"][0]


def contract_results(validation: str | None) -> pl.DataFrame:
    """A load's data-contract result (JSON: {"judge", "success", "reason", "rules": {rule: {success,
    unexpected_count}}}) as rows: rule, met, rows breaking it."""
    empty = pl.DataFrame(schema={"rule": pl.String, "met": pl.Boolean, "rows_breaking": pl.Int64})
    if not validation:
        return empty
    data = json.loads(validation)
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict) or not rules:
        return empty
    rows = [{"rule": rule,
             "met": bool(result.get("success")) if isinstance(result, dict) and "success" in result else None,
             "rows_breaking": result.get("unexpected_count") if isinstance(result, dict) else None}
            for rule, result in rules.items()]
    return pl.DataFrame(rows, schema=empty.schema)


def contract_results_for_people(results: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """The rules checked in words, met or not, with how many rules were not met."""
    failed = results.filter(~pl.col("met").fill_null(True)).height
    shown = results.select(
        pl.col("rule").str.replace(".", ": ", literal=True).str.replace_all("_", " ").alias("Rule"),
        pl.when(pl.col("met")).then(pl.lit("✓ Met")).when(~pl.col("met")).then(pl.lit("✗ Not met"))
        .otherwise(pl.lit("Not known")).alias("Result"),
        pl.col("rows_breaking").alias("Rows breaking it"))
    return shown, f"{fmt.plural(results.height, 'rule')} checked, {failed} not met."


def contract_verdict(validation: str | None) -> str | None:
    """Who judged the load and the overall verdict, in a sentence; None when not recorded."""
    if not validation:
        return None
    data = json.loads(validation)
    if not isinstance(data, dict) or "success" not in data:
        return None
    verdict = "met the data contract" if data["success"] else "did not meet the data contract"
    judge = {"sql": "the contract's SQL checks", "gx": "Great Expectations"}.get(data.get("judge"), data.get("judge"))
    return f"The load {verdict} (judged by {judge})."


def quarantine(con: duckdb.DuckDBPyConnection, *, batch_id: str | None = None,
               provider_id: str | None = None) -> pl.DataFrame:
    return query(con, "queries/data_quality_quarantine", batch_id=batch_id, provider_id=provider_id)


def quarantine_for_sending(df: pl.DataFrame) -> pl.DataFrame:
    """Quarantined rows as a provider reads them: file, row, what to correct, then the row as sent
    (the same layout as `market-oversight quarantine export`)."""
    return as_export(df).rename({"source": "File", "dataset": "Dataset", "row_number": "Row",
                                 "location_id": "CQC location ID", "rules": "Rules broken",
                                 "problems": "What to correct"}, strict=False)


def late_for_people(late: pl.DataFrame) -> pl.DataFrame:
    return late.rename({"provider_id": "Provider ID", "provider_name": "Provider", "locations": "Locations",
                        "returns_due": "Returns due", "late": "Late", "missing": "Missing"})


def provider_returns_for_people(detail: pl.DataFrame) -> pl.DataFrame:
    """One provider's late and missing returns: which location, which month, when due and received."""
    return detail.select(
        pl.col("location_name").alias("Location"),
        fmt.texts(detail["period"], fmt.month).alias("Month"),
        pl.col("status").str.to_titlecase().alias("Status"),
        fmt.texts(detail["due_date"], fmt.long_date).alias("Due"),
        fmt.texts(detail["received_at"], fmt.long_date).alias("Received"))


def returns_by_provider(con: duckdb.DuckDBPyConnection, local_authority: str | None = None
                        ) -> pl.DataFrame | None:
    """Providers with late or missing returns; None while no returns have been loaded."""
    if not mart_exists(con, "expected_returns"):
        return None
    return query(con, "queries/returns_by_provider", local_authority=local_authority)


def provider_returns(con: duckdb.DuckDBPyConnection, provider_id: str) -> pl.DataFrame | None:
    if not mart_exists(con, "expected_returns"):
        return None
    return query(con, "queries/expected_returns", location_id=None, provider_id=provider_id,
                 statuses=["late", "missing"])


def missing_benchmarks(con: duckdb.DuckDBPyConnection, as_of: date, care_home_benchmark: str,
                       home_care_benchmark: str) -> pl.DataFrame:
    """The benchmarks fee_below_benchmark needs at `as_of` and the benchmarks table lacks for its
    financial year: one row per service kind, benchmark, care category and unit, with the number of
    locations paid a fee in it (sql/risk/missing_benchmarks.sql)."""
    return query(con, "risk/missing_benchmarks", as_of=as_of, financial_year=vocab.financial_year(as_of),
                 care_home_benchmark=care_home_benchmark, home_care_benchmark=home_care_benchmark)


def missing_benchmark_sentences(missing: pl.DataFrame) -> list[str]:
    """Each missing benchmark in a sentence naming the financial year and the benchmark."""
    return [f"No {fmt.benchmark(r['benchmark'])} benchmark ({r['benchmark']}) for {r['financial_year']} "
            f"({fmt.care_category(r['care_category'])}, per {r['unit']}): fee_below_benchmark cannot be "
            f"raised for the {fmt.plural(r['locations'], fmt.service_kind(r['service_kind']).lower() + ' service')} "
            f"paid a fee in it."
            for r in missing.iter_rows(named=True)]


def latest_score_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The as-of date of the latest stored risk score (None before any scoring)."""
    return run(con, "queries/latest_score_date").fetchall()[0][0]
