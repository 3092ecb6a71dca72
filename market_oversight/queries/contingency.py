"""The contingency register as pages read it: each provider's plan as its latest review left it,
whether the review is overdue, and its latest CQC Market Oversight notice (mart.contingency_register,
with the app's live casework bound over its bare names)."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from market_oversight import fmt
from market_oversight.store import query


def register(con: duckdb.DuckDBPyConnection, provider_ids: Iterable[str]) -> pl.DataFrame:
    """The register's rows for these providers (none for a provider with nothing recorded)."""
    return query(con, "queries/contingency_register", provider_ids=sorted(set(provider_ids)))


def plan_words(row: dict | None) -> str:
    """The provider's contingency plan in a sentence: held or not, owner, reviews, overdue."""
    if row is None or row.get("plan_held") is None:
        return "No contingency plan is recorded in the register for this provider."
    held = "A contingency plan is held" if row["plan_held"] else "No contingency plan is held"
    said = (f"{held} (owner {row['plan_owner']}), last reviewed {fmt.long_date(row['last_reviewed_on'])}; "
            f"next review due {fmt.long_date(row['next_review_on'])}")
    if row["review_overdue"]:
        return f"{said}: overdue by {fmt.plural(int(row['days_overdue']), 'day')}."
    return said + "."


def notice_words(row: dict | None) -> str | None:
    """The latest Market Oversight notice about the provider in a sentence; None if there is none."""
    if row is None or not row.get("notices"):
        return None
    more = f" ({fmt.plural(int(row['notices']), 'notice')} recorded)" if row["notices"] > 1 else ""
    return (f"CQC Market Oversight notice, {fmt.long_date(row['last_notice_on'])}: "
            f"{fmt.oversight_notice(row['last_notice_kind'])}{more}. {row['last_notice_note']}")


def reviews_for_people(reviews: pl.DataFrame) -> pl.DataFrame:
    """A provider's contingency-plan reviews, newest first as given, in words."""
    return reviews.select(
        fmt.texts(reviews["reviewed_on"], fmt.long_date).alias("Reviewed"),
        pl.when(pl.col("plan_held")).then(pl.lit("Held")).otherwise(pl.lit("Not held")).alias("Plan"),
        pl.col("owner").alias("Owner"), fmt.texts(reviews["next_review_on"], fmt.long_date).alias("Next review"),
        pl.col("note").fill_null("").alias("Note"), pl.col("recorded_by").alias("By"))


def notices_for_people(notices: pl.DataFrame) -> pl.DataFrame:
    """A provider's Market Oversight notices in words."""
    return notices.select(
        fmt.texts(notices["notice_on"], fmt.long_date).alias("Date"),
        fmt.texts(notices["kind"], fmt.oversight_notice).alias("Kind"),
        pl.col("note").alias("Note"), pl.col("recorded_by").alias("By"))
