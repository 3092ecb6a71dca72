"""Data quality: each load's data-contract results and quarantined rows; late and missing returns."""

from __future__ import annotations

import json

import duckdb
import polars as pl

from market_oversight.queries.filters import mart_exists
from market_oversight.store import frame, sql


def batches(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pl.DataFrame:
    return frame(con, sql("queries/data_quality_batches"), {"limit": limit})


def contract_results(validation: str | None) -> pl.DataFrame:
    """A load's data-contract result (JSON, one entry per rule) as rows: rule, passed, detail."""
    empty = pl.DataFrame(schema={"rule": pl.String, "passed": pl.Boolean, "detail": pl.String})
    if not validation:
        return empty
    data = json.loads(validation)
    rules = data.get("results", data) if isinstance(data, dict) else data
    rows = []
    if isinstance(rules, dict):
        for rule, result in rules.items():
            rows.append(_rule_row(rule, result))
    elif isinstance(rules, list):
        for i, result in enumerate(rules, 1):
            name = result.get("rule") or result.get("expectation") or f"rule {i}" if isinstance(result, dict) else f"rule {i}"
            rows.append(_rule_row(str(name), result))
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty


def _rule_row(rule: str, result: object) -> dict:
    if isinstance(result, dict):
        passed = result.get("success", result.get("passed"))
        detail = {k: v for k, v in result.items() if k not in ("success", "passed", "rule")}
        return {"rule": rule, "passed": bool(passed) if passed is not None else None,
                "detail": json.dumps(detail, default=str) if detail else ""}
    if isinstance(result, bool):
        return {"rule": rule, "passed": result, "detail": ""}
    return {"rule": rule, "passed": None, "detail": json.dumps(result, default=str)}


def quarantine(con: duckdb.DuckDBPyConnection, *, batch_id: str | None = None,
               provider_id: str | None = None) -> pl.DataFrame:
    return frame(con, sql("queries/data_quality_quarantine"),
                 {"batch_id": batch_id, "provider_id": provider_id})


def quarantine_for_sending(df: pl.DataFrame) -> pl.DataFrame:
    """Quarantined rows as a provider would read them: the row as sent, and what to correct."""
    return df.select(
        pl.col("source").alias("File"),
        pl.col("row_number").alias("Row"),
        pl.col("location_id").alias("CQC location ID"),
        pl.col("location_name").alias("Location"),
        pl.col("messages").list.join("; ").alias("What to correct"),
        pl.col("raw").cast(pl.String).alias("Row as received"),
    )


def returns_by_provider(con: duckdb.DuckDBPyConnection, local_authority: str | None = None
                        ) -> pl.DataFrame | None:
    """Providers with late or missing returns; None while no returns have been loaded."""
    if not mart_exists(con, "expected_returns"):
        return None
    return frame(con, sql("queries/returns_by_provider"), {"local_authority": local_authority})


def provider_returns(con: duckdb.DuckDBPyConnection, provider_id: str) -> pl.DataFrame | None:
    if not mart_exists(con, "expected_returns"):
        return None
    return frame(con, sql("queries/expected_returns"), {
        "location_id": None, "provider_id": provider_id, "statuses": ["late", "missing"]})
