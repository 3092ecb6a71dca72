"""This month's chasing list: who owes which monthly return on a given day, how many days overdue,
and a reminder a contract manager can paste into an e-mail to each provider.

A return is owed on `as_of` when its due date (mart.expected_returns, from the one returns
calendar) is before that day and it had not arrived by the end of it. The history of late and
missing returns over the years stays in `queries.data_quality`.
"""

from __future__ import annotations

import calendar
from datetime import date

import duckdb
import polars as pl

from market_oversight import fmt
from market_oversight.queries.filters import mart_exists
from market_oversight.store import query, run

SCHEMA = {"provider_id": pl.String, "provider_name": pl.String, "location_id": pl.String,
          "location_name": pl.String, "postcode": pl.String, "local_authority": pl.String,
          "service_kind": pl.String, "period": pl.Date, "due_date": pl.Date, "days_overdue": pl.Int64}


def newest_received(con: duckdb.DuckDBPyConnection) -> date | None:
    """The day the newest return in the warehouse arrived; None while no returns are loaded."""
    if not mart_exists(con, "expected_returns"):
        return None
    return run(con, "queries/returns_newest_received").fetchall()[0][0]


def count_to(newest: date | None, today: date) -> date:
    """The day to count days overdue to: today, unless the newest return loaded arrived before
    today, in which case that day (a return sent since the last load is not in the warehouse, so
    counting to today would chase returns that may well have been sent)."""
    return min(newest, today) if newest else today


def due_from(as_of: date, months: int | None) -> date | None:
    """The earliest due date still worth chasing: `months` calendar months before `as_of` (the
    day clipped to the month's length); None (any time) when months is None."""
    if months is None:
        return None
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    month += 1
    return as_of.replace(year=year, month=month, day=min(as_of.day, calendar.monthrange(year, month)[1]))


def owed(con: duckdb.DuckDBPyConnection, as_of: date, local_authority: str | None = None,
         due_since: date | None = None) -> pl.DataFrame | None:
    """One row per return owed on `as_of` (and due on or after `due_since`, when given), most
    overdue first; None while no returns are loaded."""
    if not mart_exists(con, "expected_returns"):
        return None
    return query(con, "queries/returns_to_chase", as_of=as_of, local_authority=local_authority,
                 due_from=due_since).cast(SCHEMA)


def providers(owed: pl.DataFrame) -> pl.DataFrame:
    """One row per provider owing returns, the longest overdue first: its name, how many returns
    and services, and the most days overdue."""
    return (owed.group_by("provider_id")
            .agg(pl.col("provider_name").first(), pl.len().alias("returns"),
                 pl.col("location_id").n_unique().alias("locations"),
                 pl.col("days_overdue").max().alias("most_days_overdue"))
            .sort(["most_days_overdue", "provider_name", "provider_id"], descending=[True, False, False],
                  nulls_last=True))


def summary(owed: pl.DataFrame, as_of: date, since: date | None) -> str:
    """Who owes how much on `as_of`, in a sentence (also the as-of line of the XLSX)."""
    providers_owing = owed["provider_id"].n_unique()
    window = f"of the returns due since {fmt.long_date(since)}, " if since else ""
    return (f"On {fmt.long_date(as_of)}, {window}{fmt.plural(providers_owing, 'provider')} "
            f"{'owes' if providers_owing == 1 else 'owe'} {fmt.plural(owed.height, 'return')} from "
            f"{fmt.plural(owed['location_id'].n_unique(), 'service')}; the longest overdue is "
            f"{fmt.plural(int(owed['days_overdue'].max() or 0), 'day')}.")


def for_people(owed: pl.DataFrame) -> pl.DataFrame:
    """The chasing list as a contract manager reads it (the table on the page and the downloads):
    how overdue (its order) and who first, so that a phone's narrow table shows them without
    scrolling."""
    return owed.select(
        pl.col("days_overdue").alias("Days overdue"),
        pl.col("provider_name").fill_null(pl.col("provider_id")).alias("Provider"),
        pl.col("location_name").alias("Service"),
        fmt.texts(owed["period"], fmt.month).alias("Month owed"),
        pl.col("due_date").alias("Due"),
        pl.col("service_kind").replace_strict(fmt.SERVICE_KIND_LABELS, default=fmt.MISSING).alias("Return"),
        pl.col("postcode").fill_null(fmt.MISSING).alias("Postcode"),
        pl.col("local_authority").alias("Local authority"),
        pl.col("location_id").alias("CQC location ID"),
        pl.col("provider_id").alias("CQC provider ID"),
    )


def _return_line(row: dict) -> str:
    kind = fmt.service_kind(row["service_kind"]).lower()
    place = row["location_name"] + (f" ({row['postcode']})" if row["postcode"] else "")
    return (f"- {place}: the {kind} return for {fmt.month(row['period'])}, "
            f"due on {fmt.long_date(row['due_date'])}")


def reminder(owed: pl.DataFrame, provider_id: str, as_of: date) -> str:
    """A polite reminder to one provider naming each return it owes and its due date, in plain
    text to paste into an e-mail (no internal codes). Raises KeyError if it owes nothing."""
    rows = owed.filter(pl.col("provider_id") == provider_id).sort(["period", "location_name"])
    if rows.is_empty():
        raise KeyError(provider_id)
    name = rows["provider_name"][0]
    n = rows.height
    it = "it" if n == 1 else "them"
    what = "the monthly return below" if n == 1 else f"the {n} monthly returns below"
    lines = [
        f"Subject: Monthly {'return' if n == 1 else 'returns'} outstanding",
        "",
        f"Dear colleagues at {name}," if name else "Dear colleagues,",
        "",
        f"Our records show that, as of {fmt.long_date(as_of)}, we have not yet received {what}:",
        "",
        *(_return_line(r) for r in rows.iter_rows(named=True)),
        "",
        f"Please send {it} as soon as you can. If you have sent {it} in the last few days, thank "
        f"you, and please ignore this message. If anything is stopping you from sending {it}, just "
        "reply and let us know.",
        "",
        "Kind regards,",
    ]
    return "\n".join(lines)
